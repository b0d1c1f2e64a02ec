"""The deployment files, checked offline: Kubernetes manifests against the API schemas, the properties the
README promises of them (health probes, Guaranteed QoS workers, cookie affinity), HAProxy's own config check,
and the image's Dockerfile (Debian slim base, non-root, a health check, either role by its command)."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
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
    assert services["ui"]["command"] == ["ui"] and services["worker"]["command"] == ["worker"]
    assert services["ui"]["image"] == services["worker"]["image"] == "eager-lab"
    assert all(services[role]["read_only"] for role in ("ui", "worker"))


def test_the_dockerfile_builds_a_non_root_image_with_a_health_check():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert "FROM debian:bookworm-slim" in lines
    assert any(line.startswith("USER ") and line != "USER root" and line != "USER 0" for line in lines)
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert "COPY requirements-app.txt ." in lines  # the app's own pins only: no test tools in the image
