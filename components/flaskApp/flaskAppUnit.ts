import { renderServiceUnit } from "../../runtimes/systemdUnit";

export function renderFlaskAppUnit(input: { readonly port: number }): string {
    return renderServiceUnit({
        description: "Flask Application Service",
        user: "flask-app",
        workingDirectory: "/var/lib/flask-app",
        environmentFiles: ["/etc/flask-app/env"],
        exec: ["/opt/flask-app/venv/bin/gunicorn", "--workers=1", "--threads=8", `--bind=0.0.0.0:${input.port}`, "--chdir=/opt/flask-app", "app:app"],
        writablePaths: ["/var/lib/flask-app", "/var/log/flask-app"],
        reloadWithSighup: false,
    });
}
