"""The checking tools themselves: axe runs offline from the packaged script and does find problems."""

from pathlib import Path

import axe_playwright_python
import pytest

from tests.browser.conftest import assert_accessible


def test_axe_is_packaged_and_finds_a_violation(page, transactional_db):
    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    assert script.stat().st_size > 100_000  # the real axe-core, shipped in the wheel, not fetched
    page.goto("/accounts/login/")
    assert_accessible(page, state="login before tampering")
    assert page.evaluate("typeof axe.version") == "string"  # injected by the check, offline

    # A control without a label and text without contrast: the check must fail and name both.
    page.evaluate("""() => {
        const main = document.getElementById('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" id="nolabel">');
        const p = document.createElement('p'); p.textContent = '看不清'; p.style.color = '#eeeeee';
        main.appendChild(p);
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, state="tampered")
    report = str(failure.value)
    assert "label" in report and "#nolabel" in report
    assert "color-contrast" in report
