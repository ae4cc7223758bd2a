"""Benchmark: lägesrapport build time vs WeasyPrint's own time on the same HTML, and peak memory.

    .venv/bin/python bench/report_build.py [--runs 3]

Each scenario runs in its own subprocess with a throw-away SQLite database and media folder, so
the peak memory (ru_maxrss) belongs to that scenario alone:

- ``jonkoping``: ``load_demo``, then the Jönköping 2022 report (built as ``build_status_report``
  does: ``report_build_sync``).
- ``large``: a synthetic county with 40 actors, 8 goals and 400 reported activities.
- ``county320``: a synthetic county with 320 actors (280 submitted), 8 goals and 960 reported
  activities (the size of a big county with every school and unit invited); reported as
  seconds and MB per page.

For each run the full service build (data assembly, template, WeasyPrint, sha256, storing the
file, database updates) is timed, then WeasyPrint alone on the identical HTML (same fetcher,
same PDF/UA variant). ``ratio`` = build / WeasyPrint (target ≤ 1.15), best of N runs after a
warm-up; the CPU-time ratio and the median ratio are printed too.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONG_TEXT = (
    "Insatsen har genomförts i samverkan med socialtjänst, elevhälsa och polis och riktar sig "
    "till barn och unga samt yrkesverksamma. Arbetet följs upp årligen och erfarenheterna "
    "sprids i länets nätverk för att fler verksamheter ska kunna använda metoden."
)


SIZES = {
    "large": {"actors": 40, "submitted": 32, "activities": 400},
    "county320": {"actors": 320, "submitted": 280, "activities": 960},
}
SCENARIOS = ("jonkoping", *SIZES)


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DEBUG", "true")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(scenario: str) -> int:
    """Create the scenario's data; return the draft report's id."""
    from django.core.management import call_command

    from followup.models import FollowUpRound, StatusReport
    from followup.reports.services import report_create

    if scenario == "jonkoping":
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        round_ = FollowUpRound.objects.get(plan__county__code="06", year=2022)
        draft = StatusReport.objects.filter(round=round_, status="draft").first()
        return (
            draft or report_create(round_id=round_.pk, actor=None, skip_permission_checks=True)
        ).pk
    from tests.followup.test_report_support import build_county

    sizes = SIZES[scenario]
    data = build_county(
        county_code="07",
        actors=sizes["actors"],
        submitted=sizes["submitted"],
        goals=8,
        sub_goals_per_goal=5,
        activities=sizes["activities"],
        description=LONG_TEXT,
    )
    return data.report.pk


def run_scenario(scenario: str, runs: int) -> dict:
    from weasyprint import HTML

    from followup.models import ReportBuild
    from followup.reports.builds import report_build_sync
    from followup.reports.context import report_data
    from followup.reports.pdf import ReportRenderer

    report_id = prepare(scenario)
    renderer = ReportRenderer()
    builds, weasy, builds_cpu, weasy_cpu, pages = [], [], [], [], 0

    def timed_build() -> None:
        nonlocal pages
        ReportBuild.objects.filter(report_id=report_id).delete()  # force a real render
        started, cpu = time.perf_counter(), time.process_time()
        build = report_build_sync(report_id=report_id, actor=None, skip_permission_checks=True)
        builds.append(time.perf_counter() - started)
        builds_cpu.append(time.process_time() - cpu)
        assert build.status == "done", build.error
        pages = build.page_count

    def timed_weasyprint() -> None:
        html = renderer.render_html(report_data(report_id=report_id))
        started, cpu = time.perf_counter(), time.process_time()
        document = HTML(
            string=html, base_url=renderer.base_url(), url_fetcher=renderer.fetcher()
        ).render(pdf_variant=renderer.pdf_variant)
        document.write_pdf(pdf_variant=renderer.pdf_variant)
        weasy.append(time.perf_counter() - started)
        weasy_cpu.append(time.process_time() - cpu)

    timed_weasyprint()  # warm-up: fonts, caches, imports, query plans
    timed_build()
    for samples in (builds, weasy, builds_cpu, weasy_cpu):
        samples.clear()
    for i in range(runs):
        # alternate the order so neither side always runs on a warmer process
        for step in (
            (timed_build, timed_weasyprint) if i % 2 == 0 else (timed_weasyprint, timed_build)
        ):
            step()
    prep = []
    for _ in range(runs):
        started = time.perf_counter()
        data = report_data(report_id=report_id)
        data.digest()
        renderer.render_html(data)
        prep.append(time.perf_counter() - started)

    # Best of N: the machine is shared, and the minimum is the least disturbed measurement.
    build_s, weasy_s = min(builds), min(weasy)
    return {
        "scenario": scenario,
        "pages": pages,
        "build_s": round(build_s, 3),
        "weasyprint_s": round(weasy_s, 3),
        "ratio": round(build_s / weasy_s, 2),
        "cpu_ratio": round(min(builds_cpu) / min(weasy_cpu), 2),
        "prep_s": round(min(prep), 3),
        "median_ratio": round(statistics.median(builds) / statistics.median(weasy), 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": runs,
    }


def child(scenario: str, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        setup_django(Path(tmp))
        print(json.dumps(run_scenario(scenario, runs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        child(args.scenario, args.runs)
        return
    failed = False
    for scenario in SCENARIOS:
        out = subprocess.run(
            [sys.executable, __file__, "--scenario", scenario, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if out.returncode != 0:
            print(out.stderr[-3000:])
            failed = True
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['scenario']:>10}: {r['pages']} pages, build {r['build_s']:.2f} s, "
            f"WeasyPrint {r['weasyprint_s']:.2f} s, ratio: {r['ratio']:.2f} "
            f"(CPU time ratio {r['cpu_ratio']:.2f}), "
            f"peak memory {r['peak_mb']:.0f} MB (best of {r['runs']} runs; "
            f"median ratio {r['median_ratio']:.2f}); data + digest + HTML alone "
            f"{r['prep_s']:.2f} s = {100 * r['prep_s'] / r['weasyprint_s']:.1f} % of WeasyPrint"
        )
        print(
            f"{'':>10}  per page: {r['build_s'] / r['pages']:.3f} s, "
            f"{r['peak_mb'] / r['pages']:.2f} MB (peak memory / pages)"
        )
        if scenario == "large" and (r["ratio"] > 1.15 or r["peak_mb"] > 400):
            print("  target missed: ratio ≤ 1.15 and peak memory ≤ 400 MB")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
