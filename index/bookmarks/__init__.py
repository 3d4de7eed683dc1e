"""Bookmarks: `store` (the per-briefing SQLite store and its exports) and `anchoring` (finding a
saved passage again after its article changed)."""

from briefing.index.bookmarks.anchoring import ANCHORED, CHANGED, MOVED, ORPHANED, AnchorError
from briefing.index.bookmarks.store import AnchoredBookmark, Bookmark, BookmarkError, BookmarkStore

__all__ = ["ANCHORED", "CHANGED", "MOVED", "ORPHANED", "AnchorError", "AnchoredBookmark", "Bookmark", "BookmarkError", "BookmarkStore"]
