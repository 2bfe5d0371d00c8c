"""A real server and a real browser for the web tests and tools/screenshots.py: `docgen serve`
as a subprocess on a free loopback port, and the system's headless Chromium driven by selenium
(no network: the flags keep Chromium from calling out)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WINDOW = (1366, 768)
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
)


def have_browser() -> bool:
    """Returns whether the system Chromium and its driver are installed."""
    return Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()


def free_port() -> int:
    """Returns a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    data: Path, port: int, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Starts ``docgen serve`` on ``data`` (``env``: variables set for it, as
    ``DOCGEN_DATABASE_URL``) and returns once it answers (or raises)."""
    env = dict(
        os.environ,
        **(env or {}),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, "-m", "docgen", "serve", "--data", str(data), "--port", str(port), *extra]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            problem = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"docgen serve stopped: {problem}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/session", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("docgen serve did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stops the server started by ``start_server`` (its worker processes with it)."""
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.stderr is not None:
        server.stderr.close()


def browser(downloads: Path | None = None):  # type: ignore[no-untyped-def]
    """Returns a headless system Chromium with a fresh profile (removed by ``quit_browser``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="docgen-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if downloads is not None:
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.profile_folder = profile
    return driver


def quit_browser(driver) -> None:  # type: ignore[no-untyped-def]
    """Quits ``driver`` and removes its profile folder."""
    profile = getattr(driver, "profile_folder", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def settled(driver) -> None:  # type: ignore[no-untyped-def]
    """Waits until the page is loaded and its scripts have run (htmx is there)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if driver.execute_script("return document.readyState === 'complete' && !!window.htmx"):
            return
        time.sleep(0.1)
    raise AssertionError("the page did not finish loading in 15 s")


def wait_for(check, what: str, seconds: float = 20):  # type: ignore[no-untyped-def]
    """Returns ``check()`` once it is true. A part of the page that htmx replaces between finding
    an element and reading it (stale, not there yet, or not yet shown while it is swapped in:
    not interactable) counts as not yet: the check runs again."""
    from selenium.common.exceptions import (
        ElementNotInteractableException,
        NoSuchElementException,
        StaleElementReferenceException,
    )

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
        except (ElementNotInteractableException, NoSuchElementException, StaleElementReferenceException):
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def input_labelled(driver, text: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    label = driver.find_element(By.XPATH, f"//label[starts-with(normalize-space(.), '{text}')]")
    return driver.find_element(By.ID, label.get_attribute("for"))
