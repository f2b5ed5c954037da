"""What ships beside the code: `.env.example` names every setting, the compose file is valid
(where a compose client is installed), the image runs as a non-root user with a health check,
and `make run` serves where HOST and PORT say."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from registrar.config import Settings

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "Zx8kq2Lr7pW4mN9vB3cT6yH1jD5fG0sA-test"


def example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return dict(pairs)


def readme_settings() -> set[str]:
    """Every variable in the README's Configuration table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_env_example_names_every_setting_the_readme_and_the_code_know() -> None:
    named = set(example())
    aliases = {str(field.validation_alias) for field in Settings.model_fields.values()}
    assert readme_settings() - named == set()
    assert aliases - named == set()


def test_env_example_loads_as_it_is(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text())
    settings = Settings(_env_file=env_file)
    assert settings.env == "development"
    assert settings.api_docs is None  # empty: the default
    assert settings.cors_origins == []
    assert settings.logs_as() == "text"


@pytest.mark.parametrize("client", [["docker", "compose"], ["docker-compose"]])
def test_the_compose_file_is_valid(tmp_path: Path, client: list[str]) -> None:
    if shutil.which(client[0]) is None:
        pytest.skip(f"{client[0]} is not installed")
    probe = subprocess.run([*client, "version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"{' '.join(client)} is not available")
    for name in ("docker-compose.yml", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    env_text = (ROOT / ".env.example").read_text()
    (tmp_path / ".env").write_text(
        env_text.replace("\nSECRET_KEY=\n", f"\nSECRET_KEY={STRONG_KEY}\n")
    )
    run = subprocess.run(
        [*client, "--profile", "demo", "config", "--services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    services = set(run.stdout.split())
    assert services == {
        "db",
        "migrate",
        "demo",
        "api",
        "worker",
        "mail",
        "locust-master",
        "locust-worker",
    }
    rendered = subprocess.run(
        [*client, "config"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "8500" in rendered
    assert "8585" in rendered
    # Without a key the stack refuses to start rather than run with a weak one.
    (tmp_path / ".env").write_text(env_text)
    refused = subprocess.run([*client, "config"], cwd=tmp_path, capture_output=True, check=False)
    assert refused.returncode != 0


def test_the_image_runs_as_a_user_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)", dockerfile, flags=re.MULTILINE)
    assert [name for _, name in stages] == ["build", "runtime", "locust"]
    assert all(image.endswith("-slim") for image, _ in stages[:2])
    runtime = dockerfile.split("AS runtime", 1)[1].split("AS locust", 1)[0]
    assert "pip wheel" in dockerfile
    assert "--no-index --find-links=/wheels" in runtime
    assert "\nUSER registrar\n" in runtime
    assert "HEALTHCHECK" in runtime
    assert "/health" in runtime
    assert 'CMD ["registrar", "serve"' in runtime


def test_make_run_serves_where_host_and_port_say() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def serve_line(*args: str) -> str:
        run = subprocess.run(
            ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return next(line for line in run.stdout.splitlines() if "registrar serve" in line)

    assert serve_line().endswith("registrar serve --host 127.0.0.1 --port 8000")
    assert serve_line("HOST=0.0.0.0", "PORT=8123").endswith("--host 0.0.0.0 --port 8123")
