"""Creator Companion: streams, gifts, diamonds and payouts for live-stream creators."""

__version__ = "0.1.0"
APP_NAME = "Creator Companion"
APP_ID = "io.creatorcompanion.CreatorCompanion"
