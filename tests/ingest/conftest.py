"""A real S3 API on localhost (moto's server mode, started once per session) and, per test, a
bucket of its own, the environment a client needs, and a local cache of its own."""

import secrets
from datetime import date
from pathlib import Path

import boto3
import pytest

from dashboard import local_services
from dashboard.ingest import object_store
from dashboard.ingest.data_home import current_dataset
from tests.conftest import FIXTURE

# the hand-made dataset a quarter later: K-B (ends 2026-09-15) has ended, K-UP (from
# 2026-08-01) has started
LATER_AS_OF = date(2026, 10, 1)


@pytest.fixture(scope="session")
def s3_service(tmp_path_factory):
    service = local_services.start_s3(tmp_path_factory.mktemp("s3"))
    yield service
    service.stop()


@pytest.fixture
def s3_env(s3_service, monkeypatch, tmp_path) -> dict[str, str]:
    """The environment of a client of the local S3 API, set in this process too."""
    env = {
        **local_services.s3_environment(s3_service.url),
        object_store.CACHE_ENV: str(tmp_path / "cache"),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    yield env
    object_store.stop_following()


@pytest.fixture
def bucket(s3_env) -> str:
    name = f"activity-{secrets.token_hex(4)}"
    client(s3_env).create_bucket(Bucket=name)
    return name


@pytest.fixture
def uri(bucket) -> str:
    return f"s3://{bucket}/datasets/activity"


def client(env: dict[str, str]):
    return boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_DEFAULT_REGION"],
    )


@pytest.fixture(scope="session")
def later_folder(tmp_path_factory) -> Path:
    """The hand-made dataset imported with as-of LATER_AS_OF: a version folder."""
    from dashboard.ingest.importer import import_dataset

    home = tmp_path_factory.mktemp("later-home")
    import_dataset(FIXTURE, home, LATER_AS_OF)
    return current_dataset(home)
