# Registrar's image: `docker compose up --build` (docker-compose.yml) or
#   docker build -t registrar . && docker run -p 8000:8000 --env-file .env registrar
# Stages: `build` makes the wheel, `runtime` (the default) serves it, `locust` adds the load tests.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# The project and every dependency as wheels: the runtime stage installs them with no compiler.
RUN pip wheel --wheel-dir /wheels .

FROM python:${PYTHON_VERSION}-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    REGISTRAR_ENV=production \
    LOG_FORMAT=json \
    WEB_CONCURRENCY=2
RUN groupadd --system registrar \
    && useradd --system --gid registrar --home-dir /app --shell /usr/sbin/nologin registrar
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels registrar && rm -rf /wheels
WORKDIR /app
RUN chown registrar:registrar /app
USER registrar
EXPOSE 8000
# Liveness only (the process answers); readiness, which needs the database, is /ready.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
# `registrar serve` stops on SIGTERM: the workers finish the requests in flight (up to 30 s),
# close their pools and exit; give the container more than that (docker stop -t 40).
STOPSIGNAL SIGTERM
# Worker processes: WEB_CONCURRENCY (one per core).
CMD ["registrar", "serve", "--host", "0.0.0.0", "--port", "8000"]

FROM runtime AS locust
USER root
RUN pip install "locust>=2.20"
COPY locustfiles /app/locustfiles
USER registrar
ENTRYPOINT ["locust", "-f", "/app/locustfiles/scenarios.py"]
