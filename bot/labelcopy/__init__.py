"""Label copy: the release's reference text (tracklist, identifiers, credits) and its checks."""
