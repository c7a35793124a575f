"""Rotate the connected-app secret in the sandbox with zero failed loads: add a second secret,
switch signing to it, wait until no token signed with the old one can be presented, remove it.

A connected app holds at most two secrets, both valid until deleted ("Configure Connected Apps
with Direct Trust"), which is what makes this possible: Tableau accepts either while the host moves
from one to the other.
"""

from __future__ import annotations

from host.rotation.run import Rotation, RotationError


def rotate_secret(rotation: Rotation, drain_seconds: int | None = None) -> None:
    direct = rotation.settings.direct
    if direct is None:
        raise RotationError("TRUST_MODE has no direct: there is no connected-app secret to rotate")
    if direct.spare_secret is not None:
        raise RotationError(f"a second secret ({direct.spare_secret.id}) is already configured: "
                            "finish or undo that rotation first (docs/rotation.md)")
    admin, client_id, old = rotation.admin, direct.client_id, direct.signing_secret.id
    held = admin.secret_ids(client_id)
    if old not in held:
        raise RotationError(f"the connected app has no secret {old}: the host signs with a secret "
                            "Tableau does not hold; fix TABLEAU_SECRET_ID first")
    if len(held) > 1:
        raise RotationError("the connected app already holds two secrets (its limit): delete the one "
                            f"the host does not use ({', '.join(i for i in held if i != old)}) first")

    new_id, new_value = admin.create_secret(client_id)
    rotation.step(f"Tableau generated a second secret, {new_id}; the host holds it as its spare "
                  "(TABLEAU_SECRET_2_*), still signing with the old one")
    rotation.write({"TABLEAU_SECRET_2_ID": new_id, "TABLEAU_SECRET_2_VALUE": new_value,
                    "TABLEAU_SIGNING_SECRET": "1"})
    rotation.step("switch signing to the new secret (TABLEAU_SIGNING_SECRET=2)")
    rotation.write({"TABLEAU_SIGNING_SECRET": "2"})
    rotation.drain(drain_seconds)
    admin.delete_secret(client_id, old)
    rotation.step(f"deleted the old secret {old} in Tableau; the new one moves to TABLEAU_SECRET_*")
    rotation.write({"TABLEAU_SECRET_ID": new_id, "TABLEAU_SECRET_VALUE": new_value,
                    "TABLEAU_SECRET_2_ID": None, "TABLEAU_SECRET_2_VALUE": None,
                    "TABLEAU_SIGNING_SECRET": "1"})
