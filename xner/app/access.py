"""Every page's first call (:func:`gate`): who is here, and whether they may do what the page does.

Without ``XNER_USERS`` the app serves only the machine it runs on (the bind address in
``.streamlit/config.toml``, and a connection from elsewhere is refused here too); with
it, a page shows a login form until the user has signed in. See :mod:`xner.app.auth`.
"""

from __future__ import annotations

import streamlit as st

from xner.app.auth import USERS_ENV, User, configured_users
from xner.app.display import literal
from xner.errors import XnerError

_USER = "xner_user"


def gate() -> User | None:
    """The signed-in user, or ``None`` for local use without a user list; otherwise the page
    stops here (a login form, or why it cannot be served)."""
    try:
        users = configured_users()
    except XnerError as error:  # the administrator's file: say what is wrong, serve nothing
        st.error(literal(f"The app's user list is not usable: {error}"))
        st.stop()
    if users is None:
        remote = st.context.ip_address  # None from this machine (a str from elsewhere)
        if isinstance(remote, str) and remote:
            st.error("This app has no login configured, so it serves only the machine it runs on. To open it "
                     f"to a team, set {USERS_ENV} to a user list (README: “Running the app for a team”).")
            st.stop()
        return None
    user = st.session_state.get(_USER)
    if isinstance(user, User) and user.name in users.passwords:  # a user removed from the list is out
        user = User(user.name, user.name in users.admins)
        with st.sidebar:
            st.caption(literal(f"Signed in as {user.name}" + (" (admin)" if user.admin else "")))
            if st.button("Sign out", key="sign_out"):
                del st.session_state[_USER]
                st.rerun()
        return user
    st.title("xner: sign in")
    with st.form("sign_in"):
        name = st.text_input("User name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        signed = users.login(name, password)
        if signed is not None:
            st.session_state[_USER] = signed
            st.rerun()
        st.error("Unknown user name or wrong password.")
    st.stop()


def require_admin(user: User | None, what: str) -> None:
    """Stop the page for a signed-in user who is not an admin (local use may do anything)."""
    if user is not None and not user.admin:
        st.info(literal(f"Only admins {what}; you are signed in as {user.name}. Ask an admin."))
        st.stop()
