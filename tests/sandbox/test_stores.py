"""The in-memory stores forget what expired, so a long demo does not grow them without bound."""

from sandbox.simulator.expiring import SWEEP_EVERY, ExpiringMap
from sandbox.simulator.replay import JtiStore
from sandbox.simulator.sessions import SessionStore

from .helpers import CLIENT_ID, NOW, make_token, sign_in, state


def test_expired_entries_are_swept_while_inserting_never_read():
    entries: ExpiringMap[int, str] = ExpiringMap()
    for i in range(10 * SWEEP_EVERY):
        entries.put(i, "v", expires_at=NOW + i + 1, now=NOW + i)  # each lives one second
    assert len(entries) <= SWEEP_EVERY


def test_live_entries_are_kept_by_a_sweep():
    entries: ExpiringMap[int, str] = ExpiringMap()
    for i in range(SWEEP_EVERY):
        entries.put(i, "v", expires_at=NOW + 60, now=NOW)
    assert len(entries) == SWEEP_EVERY and entries.get(0, NOW) == "v"
    assert entries.get(0, NOW + 60) is None and len(entries) == SWEEP_EVERY - 1  # read when expired


def test_sessions_and_jtis_of_a_long_demo_stay_bounded():
    sessions, jtis = SessionStore(), JtiStore()
    for i in range(10 * SWEEP_EVERY):
        now = NOW + i * 60  # a sign-in a minute, each session and token living five minutes
        sessions.create(now, site_id="s", user_name="u", scopes=[], expires_at=now + 300)
        jtis.consume("issuer", f"jti-{i}", now + 300, now)
    assert len(sessions) <= SWEEP_EVERY + 5 and len(jtis) <= SWEEP_EVERY + 5


def test_a_used_jti_is_still_refused_until_its_token_expires(app):
    assert sign_in(app.test_client(), make_token(jti="used-once")).status_code == 200  # exp: NOW + 300
    jtis = state(app).jtis
    assert jtis.is_used(CLIENT_ID, "used-once", NOW + 299)
    assert not jtis.is_used(CLIENT_ID, "used-once", NOW + 300)
