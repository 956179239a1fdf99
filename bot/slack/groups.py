"""Slack user-group membership, cached briefly: departments can be backed by a user group."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import SlackUnavailable

logger = logging.getLogger("sleeve.groups")
CACHE_SECONDS = 60.0


class UsergroupDirectory:
    """``members(group_id)`` through usergroups.users.list, remembered for a minute."""

    def __init__(self, client: WebClient, ttl: float = CACHE_SECONDS) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def members(self, group_id: str) -> frozenset[str]:
        with self._lock:
            hit = self._cache.get(group_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        try:
            response = self._client.usergroups_users_list(usergroup=group_id)
        except (SlackApiError, OSError) as exc:
            logger.warning("usergroups.users.list failed for %s: %s", group_id, exc)
            raise SlackUnavailable("Slack couldn't be asked who is in that group.") from None
        users = frozenset(str(user) for user in response.get("users") or [])
        with self._lock:
            self._cache[group_id] = (time.monotonic() + self._ttl, users)
        return users

    def cached(self) -> CachedGroups:
        """The same directory that answers from what it has read, never asking Slack: for
        checks inside a transaction, which must not wait on the network."""
        return CachedGroups(self)

    def known(self, group_id: str) -> frozenset[str] | None:
        with self._lock:
            hit = self._cache.get(group_id)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None


class CachedGroups:
    """``members(group_id)`` from the directory's cache; SlackUnavailable when it holds none
    (the lookup before the transaction failed)."""

    def __init__(self, directory: UsergroupDirectory) -> None:
        self._directory = directory

    def members(self, group_id: str) -> frozenset[str]:
        found = self._directory.known(group_id)
        if found is None:
            raise SlackUnavailable("Slack couldn't be asked who is in that group.")
        return found
