"""Set-up files agree with each other: pyproject, environment.yml, README, .ci/run."""

import re
import tomllib

import yaml

from plumbing import config

ROOT = config.REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted
    assert "python=3.11" in env["dependencies"]
    assert project["requires-python"].startswith(">=3.11")


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make reports" in readme and "make test" in readme
    commands = [l.strip() for l in (ROOT / ".ci" / "run").read_text().splitlines()
                if l.strip() and not l.startswith("#") and not l.startswith(("set ", "cd "))]
    assert commands == ["make test"]


def test_the_cli_is_installed_as_a_console_script():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["plumbing"] == "plumbing.cli:main"


def test_generated_folders_are_git_ignored():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/data/cache/" in ignored and "/reports/" in ignored
