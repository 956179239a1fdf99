"""Slash commands: the grammar, the parser, and one module of handlers per noun."""
