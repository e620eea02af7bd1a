"""A leaked connection key over real HTTP: the bridge user is a key, not an account.

With the key's Application Password an attacker tries what WordPress lets every user do
to their own account; every door but the plugin's own answers 403 or a fault. A login
password or a session the attacker got before the lock-down existed is made up in PHP
(`compromise`) and must be worthless too, and gone after Connect or deactivation.
"""

from __future__ import annotations

import json
import xmlrpc.client

import pytest
import requests

from handoff.wordpress.connection_key import parse_connection_key

pytestmark = pytest.mark.integration

STOLEN_PASSWORD = "attacker chose this one"
ATTACKER_EMAIL = "attacker@example.test"


@pytest.fixture
def key(fresh_sandbox):
    """The connection key the backend holds (user, password, urls)."""
    return parse_connection_key(fresh_sandbox.connection_key())


def bridge_php(sandbox, login: str, code: str) -> str:
    """Run `code` in the sandbox with $user set to the bridge user; return what it printed."""
    return sandbox.php(f"$user = get_user_by( 'login', {json.dumps(login)} );\n{code}")


def compromise(sandbox, login: str) -> dict:
    """The bridge account as a leaked key could leave it before the lock-down existed.

    A login password and e-mail of the attacker's, a changed name, an Application Password
    of its own and a live session; returns that password and the session's cookies.
    """
    printed = bridge_php(sandbox, login, f"""
        add_filter( 'send_email_change_email', '__return_false' );
        wp_set_password( {json.dumps(STOLEN_PASSWORD)}, $user->ID );
        wp_update_user( array( 'ID' => $user->ID, 'user_email' => {json.dumps(ATTACKER_EMAIL)},
            'display_name' => 'Taken over', 'description' => 'Mine now.' ) );
        [ $password ] = WP_Application_Passwords::create_new_application_password(
            $user->ID, array( 'name' => 'attacker' ) );
        $until = time() + DAY_IN_SECONDS;
        $token = WP_Session_Tokens::get_instance( $user->ID )->create( $until );
        echo wp_json_encode( array(
            'app_password' => $password,
            'cookies' => array(
                LOGGED_IN_COOKIE => wp_generate_auth_cookie( $user->ID, $until,
                    'logged_in', $token ),
                AUTH_COOKIE => wp_generate_auth_cookie( $user->ID, $until,
                    'auth', $token ),
            ),
        ) );""")
    return json.loads(printed)


def account(sandbox, login: str) -> dict:
    """What the site holds about the bridge user, read in PHP."""
    return json.loads(bridge_php(sandbox, login, f"""
        echo wp_json_encode( array(
            'email' => $user->user_email,
            'display_name' => $user->display_name,
            'description' => $user->description,
            'stolen_password_works' => wp_check_password( {json.dumps(STOLEN_PASSWORD)},
                $user->user_pass, $user->ID ),
            'reset_key' => $user->user_activation_key,
            'sessions' => count( WP_Session_Tokens::get_instance( $user->ID )->get_all() ),
            'app_passwords' => wp_list_pluck(
                WP_Application_Passwords::get_user_application_passwords( $user->ID ), 'name' ),
        ) );"""))


def login_form(sandbox, login: str, password: str) -> requests.Session:
    """A session after posting wp-login.php's form (signed in or not)."""
    session = requests.Session()
    session.trust_env = False
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    session.post(f"{sandbox.url}/wp-login.php", timeout=30, data={
        "log": login, "pwd": password, "testcookie": "1",
        "redirect_to": f"{sandbox.url}/wp-admin/"})
    return session


def signed_in(session: requests.Session) -> bool:
    return any(cookie.name.startswith("wordpress_logged_in") for cookie in session.cookies)


def xmlrpc_fault(sandbox, method: str, *params) -> xmlrpc.client.Fault:
    """The fault `method` answers; fails the test if it answers anything else."""
    server = xmlrpc.client.ServerProxy(f"{sandbox.url}/xmlrpc.php")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        getattr(server, method)(*params)
    return fault.value


def rest(sandbox, method: str, route: str, auth, **kwargs) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/wp-json{route}", auth=auth, timeout=30,
                            **kwargs)


def first_post_id(sandbox) -> int:
    return int(sandbox.php("echo get_posts( array( 'numberposts' => 1 ) )[0]->ID;"))


# -- what the key's password cannot do --------------------------------------------------


def test_the_key_cannot_change_the_bridge_users_own_account(fresh_sandbox, key):
    auth = (key.user, key.password)
    before = account(fresh_sandbox, key.user)

    takeover = rest(fresh_sandbox, "POST", "/wp/v2/users/me", auth,
                    json={"password": STOLEN_PASSWORD, "email": ATTACKER_EMAIL})
    minted = rest(fresh_sandbox, "POST", "/wp/v2/users/me/application-passwords", auth,
                  json={"name": "mine now"})

    for response in (takeover, minted):
        assert response.status_code == 403, response.text[:300]
        assert response.json()["code"] == "handoff_forbidden"
    assert account(fresh_sandbox, key.user) == before
    assert not signed_in(login_form(fresh_sandbox, key.user, STOLEN_PASSWORD))


FOREIGN_ROUTES = [
    ("GET", "/wp/v2/users/me", None),
    ("GET", "/wp/v2/users/me/application-passwords", None),
    ("GET", "/wp/v2/posts", None),
    ("POST", "/wp/v2/posts", {"title": "From the bridge", "status": "publish"}),
    ("GET", "/", None),
    ("GET", "/handoff/v1", None),
    ("POST", "/batch/v1", {"requests": [
        {"method": "POST", "path": "/wp/v2/posts", "body": {"title": "From the bridge"}}]}),
]


@pytest.mark.parametrize(("method", "route", "body"), FOREIGN_ROUTES,
                         ids=[f"{m} {r}" for m, r, _ in FOREIGN_ROUTES])
def test_the_key_reaches_no_rest_route_outside_handoff(fresh_sandbox, key, method, route,
                                                       body):
    response = rest(fresh_sandbox, method, route, (key.user, key.password), json=body)
    assert response.status_code == 403, response.text[:300]
    assert response.json()["code"] == "handoff_forbidden"


def test_the_key_cannot_comment(fresh_sandbox, key):
    post = first_post_id(fresh_sandbox)
    response = rest(fresh_sandbox, "POST", "/wp/v2/comments", (key.user, key.password),
                    json={"post": post, "content": "Hello from the bridge."})
    assert response.status_code == 403 and response.json()["code"] == "handoff_forbidden"
    assert fresh_sandbox.php("echo get_comments( array( 'count' => true, "
                             "'search' => 'from the bridge' ) );") == "0"


def test_plain_permalinks_are_no_way_around(fresh_sandbox, key):
    response = requests.get(f"{fresh_sandbox.url}/?rest_route=/wp/v2/users/me",
                            auth=(key.user, key.password), timeout=30)
    assert response.status_code == 403 and response.json()["code"] == "handoff_forbidden"


def xmlrpc_calls(post_id: int, login: str, password: str) -> dict[str, tuple]:
    return {
        "wp.getUsersBlogs": (login, password),
        "wp.getProfile": (1, login, password),
        "wp.editProfile": (1, login, password, {"display_name": "Taken over"}),
        "wp.getPosts": (1, login, password),
        "wp.newComment": (1, login, password, post_id, {"content": "Hello from the bridge."}),
    }


@pytest.mark.parametrize("method", ["wp.getUsersBlogs", "wp.getProfile", "wp.editProfile",
                                    "wp.getPosts", "wp.newComment"])
def test_the_key_reaches_no_xmlrpc_method_outside_handoff(fresh_sandbox, key, method):
    params = xmlrpc_calls(first_post_id(fresh_sandbox), key.user, key.password)[method]
    before = account(fresh_sandbox, key.user)

    fault = xmlrpc_fault(fresh_sandbox, method, *params)

    assert fault.faultCode == 403
    assert fault.faultString.startswith("handoff_forbidden:"), fault.faultString
    after = account(fresh_sandbox, key.user)
    assert (after["display_name"], after["email"]) == (before["display_name"], before["email"])


def test_a_multicall_is_refused_as_a_whole(fresh_sandbox, key):
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    multicall = xmlrpc.client.MultiCall(server)
    multicall.handoff.status(key.user, key.password)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        tuple(multicall())
    assert fault.value.faultCode == 403


def test_admin_ajax_takes_the_key_for_the_menu_action_only(fresh_sandbox, key):
    url = f"{fresh_sandbox.url}/wp-admin/admin-ajax.php"
    credentials = {"user": key.user, "password": key.password}
    menu = requests.post(url, params={"action": "handoff_admin_menu"}, data=credentials,
                         timeout=30)
    assert menu.status_code == 200 and menu.json()["context"] == "admin"
    # Another action, with the key as Basic auth: WordPress sees nobody (wp-auth-check false).
    other = requests.post(url, data={"action": "heartbeat", "_nonce": "x"},
                          auth=(key.user, key.password), timeout=30)
    assert other.json().get("wp-auth-check") is False


# -- what the plugin's own doors still do -----------------------------------------------


def test_the_key_still_works_for_handoff(fresh_sandbox, key):
    auth = (key.user, key.password)
    for route in ("status", "inventory", "health", "handbook", "menu-profile"):
        response = rest(fresh_sandbox, "GET", f"/handoff/v1/{route}", auth)
        assert response.status_code == 200, (route, response.text[:300])
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    assert server.handoff.status(key.user, key.password)["user"]["login"] == key.user
    assert "plugins" in server.handoff.inventory(key.user, key.password)


# -- a login password or a session from before the lock-down ----------------------------


def test_a_known_login_password_signs_the_bridge_user_in_nowhere(fresh_sandbox, key):
    compromise(fresh_sandbox, key.user)

    assert not signed_in(login_form(fresh_sandbox, key.user, STOLEN_PASSWORD))
    assert not signed_in(login_form(fresh_sandbox, ATTACKER_EMAIL, STOLEN_PASSWORD))
    fault = xmlrpc_fault(fresh_sandbox, "handoff.inventory", key.user, STOLEN_PASSWORD)
    assert (fault.faultCode, fault.faultString) == (403, "Incorrect username or password.")
    response = rest(fresh_sandbox, "GET", "/handoff/v1/status", (key.user, STOLEN_PASSWORD))
    assert response.status_code == 401
    # The key's own password still works, and the login form does not take it either.
    assert rest(fresh_sandbox, "GET", "/handoff/v1/status",
                (key.user, key.password)).status_code == 200
    assert not signed_in(login_form(fresh_sandbox, key.user, key.password))


def test_a_session_from_before_signs_nobody_in(fresh_sandbox, key):
    stolen = compromise(fresh_sandbox, key.user)
    session = requests.Session()
    session.trust_env = False
    for name, value in stolen["cookies"].items():
        session.cookies.set(name, value)

    # auth_redirect() trusts a valid cookie by itself; WordPress then finds nobody signed in.
    profile = session.get(f"{fresh_sandbox.url}/wp-admin/profile.php", allow_redirects=False,
                          timeout=30)
    assert profile.status_code == 403 and 'id="your-profile"' not in profile.text
    heartbeat = session.post(f"{fresh_sandbox.url}/wp-admin/admin-ajax.php",
                             data={"action": "heartbeat", "_nonce": "x"}, timeout=30)
    assert heartbeat.json().get("wp-auth-check") is False
    front = session.get(f"{fresh_sandbox.url}/", timeout=30)
    assert front.status_code == 200 and 'id="wpadminbar"' not in front.text
    # What a session does show, for someone who may have one:
    admin = login_form(fresh_sandbox, fresh_sandbox.admin_login, fresh_sandbox.admin_password)
    assert 'id="wpadminbar"' in admin.get(f"{fresh_sandbox.url}/", timeout=30).text


def test_the_bridge_user_gets_no_password_reset(fresh_sandbox, key):
    response = requests.post(f"{fresh_sandbox.url}/wp-login.php?action=lostpassword",
                             data={"user_login": key.user}, timeout=30)
    assert "login_error" in response.text
    assert account(fresh_sandbox, key.user)["reset_key"] == ""


# -- Connect and deactivation take the account back -----------------------------------------


def assert_taken_back(sandbox, login: str, *, app_passwords: list[str]) -> None:
    state = account(sandbox, login)
    assert state["stolen_password_works"] is False
    assert state["email"] == f"{login}@handoff.invalid"
    assert state["display_name"] == "Handoff backend"
    assert state["description"] != "Mine now."
    assert state["sessions"] == 0
    assert state["app_passwords"] == app_passwords


def test_rotating_the_key_leaves_the_old_one_nothing(fresh_sandbox, key):
    stolen = compromise(fresh_sandbox, key.user)

    new = parse_connection_key(fresh_sandbox.connection_key())

    assert_taken_back(fresh_sandbox, key.user, app_passwords=["Handoff backend"])
    for password in (key.password, stolen["app_password"]):
        assert rest(fresh_sandbox, "GET", "/handoff/v1/status",
                    (key.user, password)).status_code == 401
        fault = xmlrpc_fault(fresh_sandbox, "handoff.inventory", key.user, password)
        assert fault.faultCode == 403
    assert rest(fresh_sandbox, "GET", "/handoff/v1/status",
                (new.user, new.password)).status_code == 200


def test_deactivation_leaves_a_stolen_login_nothing(fresh_sandbox, key):
    stolen = compromise(fresh_sandbox, key.user)

    fresh_sandbox.php("deactivate_plugins( 'handoff-companion/handoff-companion.php' );")

    assert_taken_back(fresh_sandbox, key.user, app_passwords=[])
    # Without the plugin nothing else holds the bridge user to its key: the reset must.
    assert not signed_in(login_form(fresh_sandbox, key.user, STOLEN_PASSWORD))
    session = requests.Session()
    session.trust_env = False
    for name, value in stolen["cookies"].items():
        session.cookies.set(name, value)
    profile = session.get(f"{fresh_sandbox.url}/wp-admin/profile.php", allow_redirects=False,
                          timeout=30)
    assert profile.status_code == 302 and "wp-login.php" in profile.headers["Location"]


# -- no collateral damage ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["administrator", "editor"])
def test_ordinary_users_keep_their_own_account(fresh_sandbox, key, who):
    login, password = ((fresh_sandbox.admin_login, fresh_sandbox.admin_password)
                       if who == "administrator"
                       else (fresh_sandbox.client_login, fresh_sandbox.client_password))
    app_password = fresh_sandbox.php(
        f"echo WP_Application_Passwords::create_new_application_password( get_user_by( "
        f"'login', {json.dumps(login)} )->ID, array( 'name' => 'Laptop' ) )[0];")
    auth = (login, app_password)

    edited = rest(fresh_sandbox, "POST", "/wp/v2/users/me", auth,
                  json={"description": "Still mine."})
    assert edited.status_code == 200 and edited.json()["description"] == "Still mine."
    minted = rest(fresh_sandbox, "POST", "/wp/v2/users/me/application-passwords", auth,
                  json={"name": "Phone"})
    assert minted.status_code == 201
    server = xmlrpc.client.ServerProxy(f"{fresh_sandbox.url}/xmlrpc.php")
    assert server.wp.getProfile(1, login, app_password)["username"] == login
    session = login_form(fresh_sandbox, login, password)
    assert signed_in(session)
    assert session.get(f"{fresh_sandbox.url}/wp-admin/profile.php", timeout=30).status_code == 200
