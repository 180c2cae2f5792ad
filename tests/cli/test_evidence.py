"""accord evidence export and verify: bundles that recompute with the CLI alone; altered and
forged bundles, and files that are not bundles, fail with a plain message and exit 1."""

from __future__ import annotations

import json
import shlex
import zipfile
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from accord.cli.main import app
from accord.connectors.signing import Ed25519Signer
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from tests.services.test_evidence import SMALL, members, rewrite, write_ratio_files

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"


def accord(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def export(agreement: Path, data: Path, bundle: Path, *selection: str) -> Result:
    return accord(
        "evidence", "export", agreement, "--data", data, "--period", "2026-10", *selection,
        "-o", bundle,
    )  # fmt: skip


@pytest.fixture
def ratio_bundle(tmp_path: Path) -> Path:
    agreement, data = write_ratio_files(tmp_path)
    bundle = tmp_path / "bundle.zip"
    result = export(agreement, data, bundle, "--objective", "availability", "--scope", "region=us")
    assert result.exit_code == 0, result.output
    return bundle


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    for name in ("cloud-hosting", "support-outsourcer"):
        loaded = AgreementFiles().load_valid(EXAMPLES / f"{name}.yaml")
        assert loaded.agreement is not None
        write_sample_data(loaded.agreement, out, SMALL)
    return out


def test_export_names_the_verdict_and_the_bundle(tmp_path: Path) -> None:
    agreement, data = write_ratio_files(tmp_path)
    bundle = tmp_path / "bundle.zip"

    result = export(agreement, data, bundle, "--objective", "availability", "--scope", "region=us")

    assert result.exit_code == 0, result.output
    assert "availability [region=us] 2026-10: breach, 80% (116 good / 145 valid)" in result.stdout
    assert f"wrote {bundle}: 1 verdict(s), 7 files" in result.stdout
    assert bundle.is_file()


def test_verify_recomputes_a_ratio_verdict_and_says_it_matches(ratio_bundle: Path) -> None:
    result = accord("evidence", "verify", ratio_bundle)

    assert result.exit_code == 0, result.output
    assert "every file matches its manifest" in result.stdout
    assert "version hash matches" in result.stdout
    assert (
        "availability [region=us] 2026-10: recomputed: breach, 80% (116 good / 145 valid) "
        "— matches the bundle"
    ) in result.stdout


@pytest.mark.parametrize(
    ("example", "selection", "expected"),
    [
        (
            "cloud-hosting",
            ["--objective", "uptime", "--scope", "region=eu-west", "--scope", "service=database"],
            "uptime [region=eu-west, service=database] 2026-10: recomputed: deviation",
        ),
        (
            "support-outsourcer",
            ["--objective", "resolution-americas", "--scope", "priority=P3", "--window", "2026-10"],
            "resolution-americas [priority=P3] 2026-10: recomputed: breach",
        ),
    ],
    ids=["time-slice-with-maintenance", "business-duration-with-pauses"],
)
def test_example_verdicts_recompute_from_their_bundles(
    samples: Path, tmp_path: Path, example: str, selection: list[str], expected: str
) -> None:
    bundle = tmp_path / "bundle.zip"
    exported = export(EXAMPLES / f"{example}.yaml", samples, bundle, *selection)
    assert exported.exit_code == 0, exported.output

    result = accord("evidence", "verify", bundle)

    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    assert "matches the bundle" in result.stdout


def test_the_readme_commands_recompute_the_verdict_in_the_unzipped_folder(
    ratio_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(ratio_bundle) as archive:
        archive.extractall(folder)
    readme = (folder / "README.txt").read_text()
    line = next(row for row in readme.splitlines() if row.strip().startswith("accord explain"))
    monkeypatch.chdir(folder)

    result = accord(*shlex.split(line)[1:])

    assert result.exit_code == 0, result.output
    assert "Outcome: BREACH" in result.stdout
    assert "116 good / 145 valid = 80%" in result.stdout


@pytest.mark.parametrize("name", ["data/requests/evidence.csv", "agreement.yaml", "verdict.json"])
def test_verify_names_a_changed_file_and_exits_1(ratio_bundle: Path, name: str) -> None:
    rewrite(ratio_bundle, {name: members(ratio_bundle)[name] + b" "}, rehash=False)

    result = accord("evidence", "verify", ratio_bundle)

    assert result.exit_code == 1
    assert "has been altered since it was exported" in result.stderr
    assert f"changed: {name}" in result.stderr


def test_verify_lists_each_difference_a_forger_could_not_hide(ratio_bundle: Path) -> None:
    name = "data/requests/evidence.csv"
    forged = members(ratio_bundle)[name].replace(b",us,503,", b",us,200,")
    rewrite(ratio_bundle, {name: forged}, rehash=True)

    result = accord("evidence", "verify", ratio_bundle)

    assert result.exit_code == 1
    assert "does not recompute to its recorded verdicts" in result.stderr
    assert 'availability [region=us] 2026-10: outcome recorded "breach", recomputed "met"' in (
        result.stderr
    )
    assert "value recorded 0.8 (80%), recomputed 1 (100%)" in result.stderr


def test_verify_refuses_a_zip_slip_without_a_traceback(tmp_path: Path) -> None:
    bundle = tmp_path / "slip.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("manifest.json", json.dumps({}))
        archive.writestr("../escaped.txt", "gotcha")

    result = accord("evidence", "verify", bundle)

    assert result.exit_code == 1
    assert "zip slip" in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "escaped.txt").exists()


@pytest.mark.parametrize("content", [b"plain text", b""])
def test_verify_refuses_a_file_that_is_not_a_bundle(tmp_path: Path, content: bytes) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(content)

    result = accord("evidence", "verify", bundle)

    assert result.exit_code == 1
    assert "not an evidence bundle" in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_verify_of_a_missing_file_says_so(tmp_path: Path) -> None:
    result = accord("evidence", "verify", tmp_path / "nowhere.zip")

    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_export_without_a_matching_verdict_lists_the_verdicts(tmp_path: Path) -> None:
    agreement, data = write_ratio_files(tmp_path)
    bundle = tmp_path / "bundle.zip"

    result = export(agreement, data, bundle, "--objective", "availability", "--window", "2026-09")

    assert result.exit_code == 1
    assert "no verdict matches; verdicts: availability [region=ap] 2026-10" in result.stderr
    assert not bundle.exists()


def test_export_of_an_invalid_agreement_prints_its_problems(tmp_path: Path) -> None:
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text("apiVersion: accord/v1\nkind: Agreement\n")

    result = export(agreement, tmp_path, tmp_path / "b.zip", "--objective", "x")

    assert result.exit_code == 1
    assert "agreement.yaml:" in result.stderr


def test_a_scope_without_a_value_is_a_usage_error(tmp_path: Path) -> None:
    agreement, data = write_ratio_files(tmp_path)

    result = export(
        agreement, data, tmp_path / "b.zip", "--objective", "availability", "--scope", "us"
    )

    assert result.exit_code == 2
    assert "key=value" in result.output


def test_evidence_help_lists_export_and_verify() -> None:
    result = accord("evidence", "--help")

    assert result.exit_code == 0
    assert "export" in result.stdout
    assert "verify" in result.stdout


def test_a_bundle_is_signed_and_checked_with_the_public_key_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "keys" / "signing.pem"
    signer = Ed25519Signer.load_or_create(key)
    monkeypatch.setenv("ACCORD_SIGNING_KEY", str(key))
    agreement, data = write_ratio_files(tmp_path)
    bundle = tmp_path / "bundle.zip"
    exported = export(
        agreement, data, bundle, "--objective", "availability", "--scope", "region=us"
    )
    assert exported.exit_code == 0, exported.output
    assert f"signed: {bundle}.sig (key {signer.key_id})" in exported.stdout
    public = key.with_name("signing.pub.pem")
    checked = accord("evidence", "verify", bundle, "--public-key", public)
    assert checked.exit_code == 0, checked.output
    assert "signed by the service's key" in checked.stdout
    other = Ed25519Signer.load_or_create(tmp_path / "other" / "key.pem")
    (tmp_path / "other.pub.pem").write_text(other.public_key_pem)
    wrong_key = accord("evidence", "verify", bundle, "--public-key", tmp_path / "other.pub.pem")
    assert wrong_key.exit_code == 1
    assert "not a signature by this public key" in wrong_key.stderr
    bundle.write_bytes(bundle.read_bytes() + b"\0")
    altered = accord("evidence", "verify", bundle, "--public-key", public)
    assert altered.exit_code == 1
    assert "is not the file bundle.zip.sig signed" in " ".join(altered.stderr.split())
