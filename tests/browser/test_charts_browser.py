"""The progress chart draws in a real browser, and its table says the same."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from tests.web.history_builders import finished_interview, questions_with_topics
from webapp.extensions import db
from webapp.models import User

pytestmark = pytest.mark.browser

FIRST_DAY = datetime(2026, 11, 20, 4, tzinfo=UTC)


def give_alice_three_days_of_interviews(live_server) -> None:
    with live_server.app.app_context():
        alice = db.session.scalars(select(User).where(User.username == "alice")).one()
        q1, q2 = questions_with_topics(2)
        for day, (first, second) in enumerate([(40, 60), (70, 80), (90, 100)]):
            finished_interview(alice, [(q1, ["hit", "miss"], first), (q2, ["hit", "hit"], second)],
                               at=FIRST_DAY + timedelta(days=day))


def drawn_pixels(page: Page) -> int:
    """Count the canvas pixels that are not transparent."""
    return page.evaluate("""() => {
        const canvas = document.querySelector('[data-testid="progress-chart"]');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
        return drawn;
    }""")


def test_the_progress_chart_draws_the_numbers_its_table_lists(signed_in: Page, live_server):
    give_alice_three_days_of_interviews(live_server)
    page = signed_in
    page.goto("/progress/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('score-chart'))")
    chart = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('score-chart'));
        return {labels: chart.data.labels, overall: chart.data.datasets[0].data,
                datasets: chart.data.datasets.length};
    }""")
    assert chart["labels"] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert chart["overall"] == [50, 75, 95]
    assert chart["datasets"] >= 2
    assert drawn_pixels(page) > 1000

    rows = page.locator('[data-testid="progress-table"] tbody tr')
    table = {rows.nth(i).locator("th").inner_text(): float(rows.nth(i).locator("td").first.inner_text().split()[0])
             for i in range(rows.count())}
    assert table == dict(zip(chart["labels"], chart["overall"], strict=True))


def test_one_day_of_data_reads_in_english_with_its_topics_shown(signed_in: Page, live_server):
    with live_server.app.app_context():
        alice = db.session.scalars(select(User).where(User.username == "alice")).one()
        q1, q2 = questions_with_topics(2)
        finished_interview(alice, [(q1, ["hit", "miss"], 40), (q2, ["hit", "hit"], 80)], at=FIRST_DAY)
    page = signed_in
    page.goto("/progress/")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('score-chart'))")
    chart = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('score-chart'));
        const point = chart.getDatasetMeta(0).data[0];
        return {labels: chart.data.datasets.map((d) => d.label), x: point.x, radius: point.options.radius,
                width: chart.chartArea.right - chart.chartArea.left, left: chart.chartArea.left,
                visible: chart.data.datasets.map((d, i) => chart.isDatasetVisible(i))};
    }""")
    assert all("&amp;" not in label for label in chart["labels"])
    assert any(" & " in label for label in chart["labels"]), chart["labels"]
    assert chart["x"] - chart["left"] > chart["width"] / 4
    assert chart["radius"] >= 5
    assert all(chart["visible"]) and len(chart["visible"]) >= 2
