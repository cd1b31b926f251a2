//! Vocabularies behind the signals. Each list is about how people talk in interviews in general,
//! not about any one question, so the grader behaves the same on questions it has never seen.

/// Empty corporate language that says nothing checkable.
pub const BUZZWORDS: &[&str] = &[
    "synergy", "synergies", "leverage", "leveraged", "leveraging", "best-in-class", "world-class",
    "results-driven", "results driven", "cutting-edge", "cutting edge", "state-of-the-art",
    "robust", "seamless", "seamlessly", "holistic", "holistically", "paradigm", "game-changer",
    "game changer", "passionate", "proactive", "proactively", "dynamic", "innovative", "innovation",
    "value-add", "value add", "move the needle", "next-level", "next level", "empower", "empowering",
    "streamline", "streamlined", "optimize everything", "best practices", "industry standard",
    "industry-standard", "mission-critical", "mission critical", "bleeding edge", "thought leadership",
    "deep dive", "circle back", "end-to-end solutions", "scalable solutions", "robust solutions",
    "enterprise-grade", "enterprise grade", "future-proof", "future proof", "agile mindset",
    "growth mindset", "excellence", "outstanding", "exceptional", "impactful", "transformative",
    "disruptive", "visionary", "strategic alignment", "stakeholder alignment", "win-win", "drive value",
    "driving value", "deliver value", "delivering value", "add value", "key learnings", "learnings",
    "rockstar", "ninja", "guru", "10x", "hard-working", "team player", "detail-oriented",
    "self-starter", "go-getter", "laser-focused", "laser focused", "high-performing", "top-notch",
    "cloud-native solutions", "modern solutions", "innovative solutions", "world class",
];

/// Words that make a claim vague instead of concrete.
pub const VAGUE: &[&str] = &[
    "various", "etc", "stuff", "things", "somehow", "some kind", "whatever", "and so on", "lots of",
    "a lot of", "several things", "appropriate", "properly", "correctly", "as needed", "as required",
    "the right", "good practices", "in general", "generally", "usually", "typically", "many things",
];

/// Hesitation and filler in spoken or typed answers.
pub const FILLERS: &[&str] = &[
    "um", "uh", "erm", "basically", "literally", "you know", "i mean", "sort of", "kind of",
    "like i said", "actually", "honestly", "to be honest", "at the end of the day", "obviously",
];

/// Signs the candidate explains why, weighs options or names costs.
pub const REASONING: &[&str] = &[
    "because", "since", "so that", "which means", "that means", "therefore", "thus", "hence",
    "in order to", "the reason", "trade-off", "tradeoff", "trade off", "instead of", "rather than",
    "versus", " vs", "compared to", "compared with", "however", "but ", "although", "on the other hand",
    "downside", "drawback", "the cost", "costs ", "at the expense", "the risk", "risk is", "risky",
    "depends on", "it depends", "unless", "otherwise", "as long as", "the catch", "the price",
    "alternatively", "alternative", "whereas", "while ", "so we", "so i", "so the", "so it", "so you",
    "if the", "if you", "if we", "if it", "when the", "which is why", "this is why", "that's why",
    "prevents", "avoids", "ensures", "guarantees", "leads to", "causes", "results in", "at the cost",
    "pros", "cons", "benefit", "overhead", "penalty", "worth it", "not worth",
];

/// Concrete infrastructure systems, tools and commands. Naming one is evidence of specificity.
pub const TOOLS: &[&str] = &[
    "terraform", "opentofu", "pulumi", "cloudformation", "cdk", "bicep", "crossplane", "ansible", "chef",
    "puppet", "salt", "saltstack", "packer", "cloud-init", "kubernetes", "k8s", "kubectl", "helm",
    "kustomize", "argo", "argocd", "flux", "istio", "linkerd", "envoy", "cilium", "calico", "coredns",
    "etcd", "kubelet", "karpenter", "keda", "hpa", "vpa", "docker", "containerd", "podman", "nginx",
    "haproxy", "traefik", "caddy", "apache", "prometheus", "grafana", "loki", "tempo", "jaeger",
    "opentelemetry", "otel", "datadog", "new relic", "splunk", "elasticsearch", "opensearch", "kibana",
    "fluentd", "fluent bit", "vector", "pagerduty", "opsgenie", "alertmanager", "thanos", "mimir",
    "cortex", "victoriametrics", "statsd", "vault", "kms", "secrets manager", "sops", "iam", "okta",
    "spiffe", "spire", "opa", "gatekeeper", "kyverno", "sentinel", "conftest", "checkov", "tfsec",
    "trivy", "snyk", "cosign", "sigstore", "sbom", "aws", "gcp", "azure", "ec2", "s3", "ebs", "efs",
    "rds", "aurora", "dynamodb", "elasticache", "redis", "memcached", "route 53", "route53",
    "cloudfront", "cloudflare", "fastly", "akamai", "alb", "nlb", "elb", "api gateway", "lambda",
    "eks", "gke", "aks", "ecs", "fargate", "vpc", "nat gateway", "transit gateway", "privatelink",
    "direct connect", "cloudwatch", "cloudtrail", "guardduty", "config rules", "organizations", "scp",
    "glacier", "savings plans", "reserved instances", "spot", "postgres", "postgresql", "mysql",
    "mariadb", "mongodb", "cassandra", "kafka", "rabbitmq", "sqs", "sns", "kinesis", "pubsub",
    "nats", "zookeeper", "consul", "nomad", "jenkins", "github actions", "gitlab", "circleci",
    "buildkite", "spinnaker", "launchdarkly", "unleash", "pgbouncer", "rds proxy", "patroni",
    "vitess", "citus", "systemd", "journalctl", "systemctl", "strace", "lsof", "tcpdump", "ss",
    "netstat", "iostat", "vmstat", "top", "htop", "dmesg", "df", "du", "free", "sar", "perf", "dig",
    "nslookup", "curl", "openssl", "traceroute", "mtr", "iptables", "nftables", "ebpf", "bpftrace",
    "cgroups", "oom killer", "oomkilled", "logrotate", "cron", "bgp", "anycast", "wireguard",
    "ipsec", "mtls", "tls", "x.509", "acme", "let's encrypt", "cert-manager", "velero", "restic",
    "pg_dump", "wal", "binlog", "pitr", "raft", "paxos", "gossip", "chaos monkey", "litmus",
    "gremlin", "k6", "locust", "jmeter", "wrk", "vegeta", "gatling", "backstage", "atlantis",
    "spacelift", "terragrunt", "infracost", "kubecost", "opencost", "cloudhealth", "cur",
    "cost explorer", "bigquery", "snowflake", "gcs", "blob storage", "cloud storage", "cloud sql",
    "spanner", "cosmos", "front door", "app gateway", "dns", "ttl", "cname", "a record", "aaaa",
    "ns record", "soa", "mx", "txt record", "dnssec", "sni", "http/2", "http/3", "quic", "grpc",
    "websocket", "pdb", "statefulset", "daemonset", "deployment", "replicaset", "configmap",
    "networkpolicy", "ingress", "service mesh", "crd", "operator", "node pool", "taint",
    "toleration", "affinity", "readiness probe", "liveness probe", "rbac", "serviceaccount",
    "dynamodb table", "state file", "tfstate", "lock table", "s3 backend", "gcs backend", "moved block",
    "import block", "terraform import", "terraform plan", "terraform apply", "terraform state",
    "workspace", "module", "github", "slack", "jira", "statuspage", "rto", "rpo", "slo", "sli", "sla",
    "p99", "p95", "p50", "error budget", "burn rate", "mttr", "mttd", "postmortem", "runbook",
];

/// Words that mark each part of a STAR story.
pub const STAR_SITUATION: &[&str] = &[
    "at my last", "at my previous", "at my current", "in my last", "in my previous", "last year",
    "a few years ago", "years ago", "months ago", "we had", "we were", "our team", "my team", "the team",
    "the company", "when i was", "when we", "there was", "one time", "once", "back in", "at the time",
    "during", "situation", "context", "in 20", "startup", "fintech", "e-commerce", "platform team",
];
/// Task/responsibility markers.
pub const STAR_TASK: &[&str] = &[
    "i was responsible", "my job", "my task", "my role", "i owned", "i was asked", "i was tasked",
    "i had to", "i needed to", "goal was", "the goal", "objective", "i was on call", "i was the",
    "i led", "i was leading", "my responsibility", "deadline", "we needed to", "had to",
];
/// Result markers.
pub const STAR_RESULT: &[&str] = &[
    "as a result", "result was", "the result", "in the end", "outcome", "we reduced", "i reduced",
    "reduced", "cut", "improved", "increased", "decreased", "saved", "dropped", "went from", "down from",
    "up from", "to zero", "no longer", "since then", "afterwards", "ended up", "shipped", "delivered",
    "finished", "completed", "resolved", "restored", "recovered",
];
/// Reflection markers.
pub const STAR_REFLECTION: &[&str] = &[
    "i learned", "i learnt", "lesson", "learned that", "next time", "in hindsight", "looking back",
    "i would", "i'd do", "differently", "taught me", "i realized", "i realised", "now i", "since then i",
    "i now", "what i took away", "my takeaway", "mistake",
];
/// Blame language in behavioral stories.
pub const BLAME: &[&str] = &[
    "their fault", "his fault", "her fault", "not my fault", "wasn't my fault", "blame", "blamed",
    "incompetent", "lazy", "useless", "idiot", "clueless", "they screwed", "they messed", "they failed",
    "they didn't listen", "they never", "management failed", "the other team failed", "nobody listened",
    "no one listened", "because of them", "their mistake", "they broke", "the devs broke",
];

/// Hygiene areas a design answer should touch, with the words that show each.
pub const HYGIENE: &[(&str, &[&str])] = &[
    (
        "security",
        &[
            "security", "secure", "iam", "least privilege", "encrypt", "encryption", "tls", "mtls", "secret",
            "secrets", "kms", "vault", "auth", "authentication", "authorization", "rbac", "firewall",
            "security group", "private subnet", "waf", "audit", "compliance", "access control",
            "permissions", "credential", "credentials",
        ],
    ),
    (
        "monitoring",
        &[
            "monitor", "monitoring", "metrics", "metric", "alert", "alerts", "alerting", "dashboard",
            "dashboards", "slo", "sli", "logs", "logging", "tracing", "traces", "observability",
            "prometheus", "grafana", "cloudwatch", "datadog", "error rate", "latency", "p99", "watch",
        ],
    ),
    (
        "failure handling",
        &[
            "failover", "fail over", "fallback", "retry", "retries", "backoff", "timeout", "timeouts",
            "circuit breaker", "rollback", "roll back", "redundan", "replica", "multi-az", "multiple az",
            "availability zone", "health check", "degrade", "graceful", "backup", "restore", "disaster",
            "blast radius", "outage", "fails", "failure", "if it goes down", "recover",
        ],
    ),
    (
        "cost",
        &[
            "cost", "costs", "expensive", "cheap", "cheaper", "budget", "spend", "bill", "billing",
            "price", "pricing", "savings", "spot", "reserved", "rightsiz", "egress", "$",
        ],
    ),
];
