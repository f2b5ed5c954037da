from fastapi.testclient import TestClient

from registrar.db import Database
from tests import factories


def test_login_then_me(client: TestClient, database: Database) -> None:
    with database.session() as session:
        inst = factories.institution(session, tag="ap-university")
        factories.user(session, inst, "registrar")
    response = client.post("/auth/login", json={"username": "registrar", "password": "secret123"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["institution"]["tag"] == "ap-university"
