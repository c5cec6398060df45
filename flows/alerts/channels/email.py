"""Email over SMTP (STARTTLS or implicit TLS): the report as multipart text + HTML.

The Message-ID is derived from the outbox key, so a message sent again after a crash
carries the same id and mail clients can recognise it as the same message.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from flows.alerts.channels.base import ChannelBase, ChannelError, RenderedReport
from flows.settings import AlertChannel

SECURITY = ("starttls", "ssl", "none")


class EmailChannel(ChannelBase):
    def __init__(self, config: AlertChannel, reports_dir: Path) -> None:
        super().__init__(config)
        self.security = str(self.options.get("security", "starttls")).lower()

    def compose(self, report: RenderedReport) -> list[dict[str, Any]]:
        r = report.report
        subject = (f"steppewatch — {r.rule}: {r.summary['stories']} new "
                   f"{'story' if r.summary['stories'] == 1 else 'stories'} (run {r.run_id})")
        return [{"subject": subject, "text": report.markdown, "html": report.html}]

    def message(self, part: dict[str, Any], key: str) -> EmailMessage:
        sender = str(self.option("from"))
        recipients = self.option("to")
        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(recipients) if isinstance(recipients, list) else recipients
        message["Subject"] = part["subject"]
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = f"<{key}@{sender.rpartition('@')[2].strip('> ') or 'steppewatch'}>"
        message.set_content(part["text"], subtype="plain", charset="utf-8")
        message.add_alternative(part["html"], subtype="html", charset="utf-8")
        return message

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.options.get("ca_file"))

    def _connect(self) -> smtplib.SMTP:
        if self.security not in SECURITY:
            raise ChannelError(f"channel {self.name!r}: set security to one of "
                               f"{', '.join(SECURITY)}, not {self.security!r}")
        host, port = str(self.option("host")), int(self.options.get("port", 0))
        if self.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port or 465, timeout=self.timeout,
                                                  context=self._tls())
        else:
            smtp = smtplib.SMTP(host, port or 587, timeout=self.timeout)
            if self.security == "starttls":
                smtp.starttls(context=self._tls())
        username = self.secret("username", required=False) or self.options.get("username")
        if username:
            smtp.login(str(username), str(self.secret("password")))
        return smtp

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None:
        message = self.message(part, key)
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as error:  # nothing was handed over yet
            raise ChannelError(self.redact(f"email {self.name!r}: cannot connect or log in: "
                                           f"{_describe(error)}")) from None
        try:
            self._hand_over(smtp, message)
        finally:
            _quit_quietly(smtp)

    def _hand_over(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        try:
            smtp.send_message(message)
        except smtplib.SMTPResponseException as error:  # the server said no
            raise ChannelError(self.redact(f"email {self.name!r}: server refused: "
                                           f"{_describe(error)}")) from None
        except smtplib.SMTPRecipientsRefused as error:
            raise ChannelError(self.redact(f"email {self.name!r}: recipients refused: "
                                           f"{', '.join(error.recipients)}")) from None
        except (OSError, smtplib.SMTPException) as error:  # cut off mid-send: may have arrived
            raise ChannelError(self.redact(f"email {self.name!r}: connection lost while "
                                           f"sending: {_describe(error)}"), in_doubt=True) from None


def _describe(error: Exception) -> str:
    """An SMTP reply as its code and decoded text (a bytes repr would escape a secret)."""
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"
    return str(error)


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    """The message is accepted once DATA is answered 250; a failing QUIT changes nothing."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
