def test_healthz_reports_database_ok(client):
    response = client.get('/healthz')
    assert response.status_code == 200
    assert response.get_json() == {'status': 'ok', 'database': 'ok'}


def test_login_page_has_security_headers(client):
    response = client.get('/login')
    csp = response.headers['Content-Security-Policy']
    assert "script-src 'self'" in csp and 'unsafe-inline' not in csp
    assert response.headers['X-Frame-Options'] == 'DENY'
    assert response.headers['X-Content-Type-Options'] == 'nosniff'
    assert response.headers['Cache-Control'] == 'no-store'
    cookie = response.headers['Set-Cookie']
    assert 'HttpOnly' in cookie and 'SameSite=Lax' in cookie
