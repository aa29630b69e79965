"""The portal's tests write text messages, staged documents and stored files to a folder of their own."""

import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """DATA_DIR (the SMS outbox, the staging folder) and MEDIA_ROOT per test: no test reads another's codes."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path
