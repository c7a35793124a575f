# The embedding host (and, for compose.yaml's scale-out demo, the Tableau simulator) in one image.
# Built with the same scripts CI runs: scripts/lib.sh installs the pinned requirements into .venv,
# scripts/serve starts gunicorn with gunicorn.conf.py.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# All requirements files: the install stamp covers them, so scripts/serve installs nothing at start.
COPY requirements*.txt ./
COPY scripts/lib.sh scripts/lib.sh
RUN bash -c 'source scripts/lib.sh && ensure_venv requirements.txt'
COPY . .
RUN useradd --system --home /app host && mkdir -p instance && chown host instance
USER host
EXPOSE 8000
CMD ["scripts/serve"]
