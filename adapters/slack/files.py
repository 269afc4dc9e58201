"""Files shipbot sends (charts, the vote export) with ``files_upload_v2``:
``files.getUploadURLExternal`` → upload → ``files.completeUploadExternal`` (scope ``files:write``).

Slack cannot attach a file to an ephemeral message, so a file meant for one person (a card's vote
chart, the export) is shared in that person's direct message with the bot instead:
``conversations.open`` (scope ``im:write``) gives the DM's id. That is the simplest honest way:
an ephemeral image block would need a public URL, and a file shared in the channel is not private.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient


@dataclass(frozen=True)
class Upload:
    """One file to share: its bytes (or text), name, title and, for images, alt text."""

    content: bytes | str
    filename: str
    title: str
    alt_text: str | None = None


async def share(
    client: AsyncWebClient, channel: str, upload: Upload, comment: str | None = None
) -> str:
    """Upload ``upload`` and share it in ``channel``; the new file's id."""
    response = await client.files_upload_v2(
        channel=channel,
        content=upload.content,
        filename=upload.filename,
        title=upload.title,
        alt_txt=upload.alt_text,
        initial_comment=comment,
    )
    file = response.get("file") or {}
    return str(file.get("id") or "")


async def direct_message(client: AsyncWebClient, user_id: str) -> str:
    """The id of the direct message between the bot and ``user_id`` (opened if need be)."""
    opened = await client.conversations_open(users=user_id)
    channel = opened.get("channel") or {}
    return str(channel["id"])


async def send_privately(
    client: AsyncWebClient, user_id: str, upload: Upload, comment: str | None = None
) -> str:
    """Share ``upload`` with one person only, in their DM with the bot; the file's id."""
    return await share(client, await direct_message(client, user_id), upload, comment)
