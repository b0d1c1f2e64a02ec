"""The deployment files, checked offline: Kubernetes manifests against the API schemas, the properties
docs/deploy.md promises of them (health probes, Guaranteed QoS workers, cookie affinity), HAProxy's own config check,
and the image's Dockerfile (Debian slim base, non-root, a health check, either role by its command)."""

from __future__ import annotations

import copy
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import kubernetes_validate
import pytest
import redis
import yaml

from core import queue
from tests.browser import free_port
from tests.queue_topology import redis_server

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))
KUBERNETES = "1.37.0"


def resources() -> dict[str, dict]:
    found = {}
    for path in MANIFESTS:
        for resource in yaml.safe_load_all(path.read_text()):
            found[f"{resource['kind']}/{resource['metadata']['name']}"] = resource
    return found


def container(resource: dict) -> dict:
    (only,) = resource["spec"]["template"]["spec"]["containers"]
    return only


@pytest.mark.parametrize("name", sorted(resources()))
def test_every_manifest_is_valid_kubernetes(name):
    kubernetes_validate.validate(resources()[name], KUBERNETES, strict=True)


def test_the_validation_would_catch_a_broken_manifest():
    broken = copy.deepcopy(resources()["Deployment/eager-lab-ui"])
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_ui_replicas_are_probed_on_streamlits_health_endpoint():
    ui = container(resources()["Deployment/eager-lab-ui"])
    for probe in ("readinessProbe", "livenessProbe"):
        assert ui[probe]["httpGet"]["path"] == "/_stcore/health"
    assert ui["securityContext"]["readOnlyRootFilesystem"] is True


def test_workers_have_guaranteed_qos_with_whole_cpus():
    resources_ = container(resources()["Deployment/eager-lab-worker"])["resources"]
    assert resources_["requests"] == resources_["limits"]
    assert float(resources_["limits"]["cpu"]).is_integer()


def test_routing_keeps_a_session_on_its_replica_by_cookie():
    ingress = resources()["Ingress/eager-lab"]
    assert ingress["spec"]["ingressClassName"] == "haproxy"
    assert ingress["metadata"]["annotations"]["haproxy.org/cookie-persistence"]
    config = (DEPLOY / "haproxy.cfg").read_text()
    assert "cookie EAGERLAB_UI insert" in config and "balance source" not in config


def test_haproxy_accepts_the_compose_config():
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    done = subprocess.run([haproxy, "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_runs_every_role_of_one_image():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert services["ui"]["command"] == ["ui"]
    assert services["worker"]["command"] == ["worker", "fast"] and services["worker-slow"]["command"] == [
        "worker",
        "slow",
    ]
    assert services["ui"]["image"] == services["worker"]["image"] == services["worker-slow"]["image"] == "eager-lab"
    assert all(services[role]["read_only"] for role in ("ui", "worker", "worker-slow"))


def test_the_dockerfile_builds_a_non_root_image_with_a_health_check():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert "FROM debian:bookworm-slim" in lines
    assert any(line.startswith("USER ") and line != "USER root" and line != "USER 0" for line in lines)
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert "COPY requirements-app.txt ." in lines  # the app's own pins only: no test tools in the image


APPS = ("Deployment/eager-lab-ui", "Deployment/eager-lab-worker", "Deployment/eager-lab-worker-slow")


def env(resource: dict) -> dict[str, dict]:
    return {variable["name"]: variable for variable in container(resource)["env"]}


def test_kubernetes_runs_a_worker_deployment_per_lane():
    for name, lane in (("eager-lab-worker", "fast"), ("eager-lab-worker-slow", "slow")):
        worker = resources()[f"Deployment/{name}"]
        assert container(worker)["args"] == ["worker", lane]
        assert worker["spec"]["template"]["metadata"]["labels"]["role"] == "worker"


def test_redis_clients_take_the_password_and_the_queue_key_from_a_secret():
    for name in APPS:
        variables = env(resources()[name])
        for variable, key in (("EAGERLAB_REDIS_PASSWORD", "redis-password"), ("EAGERLAB_QUEUE_KEY", "queue-key")):
            assert variables[variable]["valueFrom"]["secretKeyRef"] == {"name": "eager-lab-secrets", "key": key}
        names = list(variables)  # $(VAR) expands only from variables defined before it
        assert "$(EAGERLAB_REDIS_PASSWORD)@" in variables["EAGERLAB_REDIS_URL"]["value"]
        assert names.index("EAGERLAB_REDIS_PASSWORD") < names.index("EAGERLAB_REDIS_URL")
    assert not [name for name in resources() if name.startswith("Secret/")]  # no secret value in the repository


def test_redis_requires_the_password_and_only_ui_and_worker_pods_reach_it():
    redis = resources()["Deployment/eager-lab-redis"]
    assert "requirepass" in container(redis)["args"][0]
    assert env(redis)["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "eager-lab-secrets"
    policy = resources()["NetworkPolicy/eager-lab-redis"]["spec"]
    assert policy["podSelector"]["matchLabels"] == redis["spec"]["template"]["metadata"]["labels"]
    assert policy["policyTypes"] == ["Ingress"]
    (rule,) = policy["ingress"]
    allowed = [peer["podSelector"]["matchLabels"] for peer in rule["from"]]
    assert all(set(peer) == {"podSelector"} for peer in rule["from"])  # no namespace or address ranges
    for name in APPS:
        labels = resources()[name]["spec"]["template"]["metadata"]["labels"]
        assert any(selector.items() <= labels.items() for selector in allowed)
    assert rule["ports"] == [{"protocol": "TCP", "port": 6379}]


def test_every_probe_has_a_timeout_that_survives_a_busy_server():
    probes = [
        (name, kind, probe)
        for name, resource in resources().items()
        if resource["kind"] == "Deployment"
        for kind, probe in container(resource).items()
        if kind.endswith("Probe")
    ]
    assert len(probes) >= 5
    for name, kind, probe in probes:
        assert probe["timeoutSeconds"] >= 5 and probe["periodSeconds"] > probe["timeoutSeconds"], (name, kind)


def test_the_compose_redis_refuses_clients_without_the_password(tmp_path):

    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    (script,) = services["redis"]["command"]
    (tmp_path / "password").write_text("0123abcd" * 4)
    script = (
        script.replace("$$", "$")
        .replace("/run/secrets/redis_password", str(tmp_path / "password"))
        .replace("/tmp/redis.conf", str(tmp_path / "redis.conf"))
        .replace("redis-server ", f"{shutil.which('redis-server') or '/usr/bin/redis-server'} ")
    )
    port = free_port()
    server = subprocess.Popen(["sh", "-c", f"{script} --port {port} --bind 127.0.0.1 --dir {tmp_path}"])
    try:
        with_password = redis.Redis(port=port, password="0123abcd" * 4)
        for _ in range(100):
            try:
                assert with_password.ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(port=port).get("eager-lab:kept:x")
    finally:
        server.terminate()
        server.wait(10)
    (tmp_path / "password").write_text("")
    assert subprocess.run(["sh", "-c", script], capture_output=True).returncode != 0  # no password, no Redis


def test_the_entrypoint_refuses_a_queue_without_its_key():
    done = subprocess.run(
        ["sh", str(DEPLOY / "entrypoint.sh"), "worker", "fast"],
        env={"PATH": "/usr/bin:/bin", "EAGERLAB_REDIS_URL": "redis://redis:6379/0"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "EAGERLAB_QUEUE_KEY" in done.stderr


def test_a_worker_is_healthy_while_it_beats_in_redis():
    sys.path.insert(0, str(DEPLOY))
    try:
        import healthcheck
    finally:
        sys.path.remove(str(DEPLOY))
    assert healthcheck.STALE_S == queue.STALE_S  # the probe keeps its own copy: it must not import torch
    with redis_server() as url:
        host = socket.gethostname()
        assert not healthcheck.worker_beating(url, "fast", host)
        connection = redis.Redis.from_url(url)
        queue.beat(connection, "fast", f"{host}.1.fast", "some CPU")  # as core.queue_worker beats
        assert healthcheck.worker_beating(url, "fast", host) and not healthcheck.worker_beating(url, "slow", host)
        seconds, _ = connection.time()
        connection.zadd("eager-lab:workers:fast", {f"{host}.1.fast": seconds - healthcheck.STALE_S - 1})
        assert not healthcheck.worker_beating(url, "fast", host)
