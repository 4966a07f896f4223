/** The subset of the Compose Specification the generator emits (see reference/compose-spec.json). */

export interface ComposeBindMount {
  type: "bind";
  source: string;
  target: string;
  read_only?: boolean;
}

export interface ComposePort {
  target: number;
  published: number;
  host_ip: string;
  protocol: "tcp";
  mode: "host";
}

export interface ComposeService {
  image: string;
  hostname: string;
  entrypoint: string[];
  command: string[];
  environment: Record<string, string>;
  volumes: ComposeBindMount[];
  networks: string[];
  labels: Record<string, string>;
  /** docker-init (tini) as PID 1: it reaps the orphans of the daemon's helper processes, and forwards every signal to the forwarder */
  init: true;
  stop_grace_period: string;
  stop_signal: string;
  logging: { driver: "local"; options: { "max-size": string; "max-file": string } };
  deploy: {
    replicas: 1;
    restart_policy: { condition: "none" };
    labels: Record<string, string>;
  };
  ports?: ComposePort[];
  /** PostgreSQL only: swarm reports the task running once this passes */
  healthcheck?: ComposeHealthcheck;
}

export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

export interface ComposeNetwork {
  driver: "overlay";
  attachable: false;
  labels: Record<string, string>;
  ipam?: { config: { subnet: string }[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, ComposeNetwork>;
}
