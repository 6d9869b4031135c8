"""E-mail backends that fail, for the tests of failed deliveries."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FailingForSomeBackend(EmailBackend):
    """Refuses addresses that contain «fail»; delivers the rest to ``mail.outbox``."""

    def send_messages(self, messages):
        for message in messages:
            if any("fail" in address for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


class UnreachableBackend(EmailBackend):
    """As when the mail server does not answer."""

    def open(self):
        raise ConnectionRefusedError("Connection refused")

    def send_messages(self, messages):
        self.open()
