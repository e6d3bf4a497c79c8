"""One exception family, so the CLI can report any failure the same way."""


class DigestError(Exception):
    """Base class: the message is shown to the user as it is."""

    exit_code = 1


class ConfigError(DigestError):
    """A config file, environment variable or flag has a wrong or unknown value."""


class InputError(DigestError):
    """No usable input: a path that does not exist, or no article in the period."""


class NoPostsError(InputError):
    """The input is readable but has no post in the requested period."""

    def __init__(self, message: str, period: object, skipped: tuple = ()) -> None:
        super().__init__(message)
        self.period = period
        self.skipped = skipped


class ModelError(DigestError):
    """A summarisation model could not be loaded or run."""


class RenderError(DigestError):
    """A template is missing or failed to render."""


class DeliveryError(DigestError):
    """Sending an email or writing a wiki page failed."""


class LockBusy(DeliveryError):
    """Another digest run holds the lock; nothing was changed."""

    exit_code = 75  # EX_TEMPFAIL: cron users can tell "try later" from a failure


class TrainingError(DigestError):
    """The model cannot be trained as asked: missing data, a checkpoint of other settings, a bad tokenizer."""


class PartialDelivery(DigestError):
    """Some of the delivery happened and some did not (a push failed, a recipient was refused)."""

    exit_code = 3


class UsageError(DigestError):
    """A command-line flag has a value the command cannot use (a bad date, a missing output folder)."""

    exit_code = 2
