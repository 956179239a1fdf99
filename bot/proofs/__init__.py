"""Proofs: file versions of an asset, their preflight, and delivery to departments."""
