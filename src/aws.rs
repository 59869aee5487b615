//! AWS facts the compiler encodes (see DOMAIN.md): regions, availability zones, service
//! names, quotas. Numbers live here once; messages quote them from here.

/// The commercial, GovCloud and China regions.
#[rustfmt::skip]
pub const REGIONS: &[&str] = &[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
    "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
];

pub fn is_region(name: &str) -> bool {
    REGIONS.contains(&name)
}

/// Whether `az` is an availability zone (region name plus a letter, `us-east-1a`) or a
/// Local Zone (`us-east-1-bos-1a`) of `region`.
pub fn az_in_region(az: &str, region: &str) -> bool {
    let Some(rest) = az.strip_prefix(region) else {
        return false;
    };
    let is_letter = |s: &str| s.len() == 1 && s.chars().all(|c| c.is_ascii_lowercase());
    if is_letter(rest) {
        return true;
    }
    // Local Zone: `-<city>-<n><letter>`.
    let mut parts = rest.splitn(3, '-');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(""), Some(city), Some(zone))
            if !city.is_empty()
                && city.chars().all(|c| c.is_ascii_lowercase())
                && zone.len() >= 2
                && zone[..zone.len() - 1].chars().all(|c| c.is_ascii_digit())
                && is_letter(&zone[zone.len() - 1..])
    )
}

/// The region an availability zone name belongs to, if it names one.
pub fn region_of_az(az: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .filter(|r| az_in_region(az, r))
        .max_by_key(|r| r.len())
        .copied()
}

/// Services with gateway endpoints (free, same region, route-table based).
pub const GATEWAY_SERVICES: &[&str] = &["s3", "dynamodb"];

/// Services that have AWS-managed prefix lists usable in security group rules.
pub const PREFIX_LIST_SERVICES: &[&str] = &["s3", "dynamodb"];

/// Short names of AWS services reachable through VPC endpoints (the part after
/// `com.amazonaws.REGION.`), which `uses`, `service` and `expect` accept. Sorted: looked up
/// by binary search.
#[rustfmt::skip]
pub const SERVICES: &[&str] = &[
    "access-analyzer", "account", "acm-pca", "airflow.api", "airflow.env", "airflow.ops",
    "amplify", "app-integrations", "appconfig", "appconfigdata", "application-autoscaling",
    "appmesh", "appmesh-envoy-management", "apprunner", "apprunner.requests", "appstream.api",
    "appstream.streaming", "appsync-api", "aps", "aps-workspaces", "athena", "auditmanager",
    "autoscaling", "autoscaling-plans", "awsconnector", "b2bi", "backup", "backup-gateway",
    "batch", "bedrock", "bedrock-agent", "bedrock-agent-runtime", "bedrock-runtime", "billing",
    "braket", "cassandra", "cassandra-fips", "cleanrooms", "cloudcontrolapi", "clouddirectory",
    "cloudformation", "cloudhsmv2", "cloudtrail", "codeartifact.api",
    "codeartifact.repositories", "codebuild", "codecommit", "codedeploy",
    "codedeploy-commands-secure", "codeguru-profiler", "codeguru-reviewer", "codepipeline",
    "codestar-connections.api", "codewhisperer", "cognito-identity", "cognito-idp",
    "comprehend", "comprehendmedical", "config", "connect-campaigns", "databrew",
    "dataexchange", "datasync", "datazone", "deviceadvisor.iot", "devops-guru", "directconnect",
    "dms", "dms-fips", "drs", "ds", "dynamodb", "ebs", "ec2", "ec2messages", "ecr.api",
    "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "eks", "eks-auth",
    "elastic-inference.runtime", "elasticache", "elasticbeanstalk", "elasticbeanstalk-health",
    "elasticfilesystem", "elasticfilesystem-fips", "elasticloadbalancing", "elasticmapreduce",
    "email-smtp", "emr-containers", "emr-serverless", "emrwal.prod", "entityresolution", "es",
    "events", "evidently", "execute-api", "finspace", "finspace-api", "firehose", "fis",
    "forecast", "forecastquery", "frauddetector", "fsx", "fsx-fips", "git-codecommit", "glue",
    "grafana", "grafana-workspace", "greengrass", "groundstation", "guardduty-data",
    "healthlake", "iam", "identitystore", "imagebuilder", "inspector2", "internetmonitor",
    "iot.credentials", "iot.data", "iot.fleethub.api", "iotfleetwise", "iotroborunner",
    "iotsitewise.api", "iotsitewise.data", "iottwinmaker.api", "iottwinmaker.data",
    "iotwireless.api", "kafka", "kafka-fips", "kendra", "kendra-ranking", "kinesis-firehose",
    "kinesis-streams", "kms", "kms-fips", "lakeformation", "lambda", "license-manager",
    "lightsail", "logs", "lookoutequipment", "lookoutmetrics", "lookoutvision", "m2", "macie2",
    "managedblockchain", "mediaconnect", "memory-db", "memorydb", "mgn",
    "migrationhub-orchestrator", "migrationhub-strategy", "monitoring", "mq", "neptune-graph",
    "network-firewall", "networkmonitor", "nimble", "omics", "organizations", "outposts",
    "panorama", "payment-cryptography.controlplane", "payment-cryptography.dataplane",
    "pca-connector-ad", "personalize", "personalize-events", "personalize-runtime", "pinpoint",
    "pinpoint-sms-voice-v2", "pipes", "pipes-data", "polly", "private-networks", "profile",
    "proton", "qldb.session", "ram", "rbin", "rds", "rds-data", "redshift", "redshift-data",
    "redshift-serverless", "refactor-spaces", "rekognition", "resiliencehub", "resource-groups",
    "robomaker", "rolesanywhere", "route53", "route53resolver", "rum", "rum-dataplane", "s3",
    "s3-outposts", "s3express", "sagemaker.api", "sagemaker.featurestore-runtime",
    "sagemaker.metrics", "sagemaker.runtime", "sagemaker.runtime-fips", "scheduler", "schemas",
    "sdb", "secretsmanager", "securityhub", "securitylake", "servicecatalog",
    "servicecatalog-appregistry", "servicediscovery", "servicediscovery-data", "servicequotas",
    "signin", "simspaceweaver", "snow-device-management", "sns", "sqs", "ssm", "ssm-contacts",
    "ssm-incidents", "ssmmessages", "states", "storagegateway", "sts", "swf", "synthetics",
    "tagging", "textract", "timestream-influxdb", "timestream.ingest", "timestream.query",
    "transcribe", "transcribestreaming", "transfer", "transfer.server", "translate",
    "trustedadvisor", "verifiedpermissions", "vpc-lattice", "wellarchitected", "workspaces",
    "workspaces-web", "xray",
];

pub fn is_service(name: &str) -> bool {
    SERVICES.binary_search(&name).is_ok()
}

/// Addresses AWS reserves in every subnet (network, router, DNS, future use, broadcast).
pub const RESERVED_ADDRESSES_PER_SUBNET: u64 = 5;

/// Free addresses AWS advises keeping in each subnet of an application load balancer, so that
/// its nodes can scale out (AWS requires at least 8 when the load balancer is created).
pub const ALB_ADDRESSES_PER_SUBNET: u64 = 8;

/// Limits that AWS enforces (cannot be raised).
pub mod limits {
    pub const VPC_IPV4_CIDRS_MAX: usize = 50;
    pub const NACL_RULE_NUMBER_MAX: u32 = 32766;
    pub const VPC_PREFIX_MIN: u8 = 16;
    pub const VPC_PREFIX_MAX: u8 = 28;
    /// A VPC's IPv6 block: /44 to /60 in steps of 4 (an Amazon-provided block is a /56; IPAM
    /// and BYOIP pools allocate the others).
    pub const VPC_IPV6_PREFIXES: (u8, u8) = (44, 60);
    /// A subnet's IPv6 block: /44 to /64 in steps of 4 (/64, the usual size, was long the
    /// only one).
    pub const SUBNET_IPV6_PREFIXES: (u8, u8) = (44, 64);
    /// IPv6 prefix lengths go in steps of this many bits (one hexadecimal digit).
    pub const IPV6_PREFIX_STEP: u8 = 4;
}

/// Prices the cost rules quote, from one table (us-east-1, on-demand, as of 2026; data
/// transfer is extra). Messages say the region and that prices vary by region.
pub mod prices {
    /// The region the prices are for.
    pub const REGION: &str = "us-east-1";
    /// NAT gateway: per hour, per GB processed.
    pub const NAT_GATEWAY_HOUR: f64 = 0.045;
    pub const NAT_GATEWAY_GB: f64 = 0.045;
    /// Interface endpoint (PrivateLink): per AZ-hour, per GB processed.
    pub const INTERFACE_ENDPOINT_AZ_HOUR: f64 = 0.01;
    pub const INTERFACE_ENDPOINT_GB: f64 = 0.01;
    /// Gateway endpoints (s3, dynamodb) are free.
    pub const GATEWAY_ENDPOINT: f64 = 0.0;
    /// Transit gateway: per attachment-hour, per GB processed.
    pub const TRANSIT_GATEWAY_ATTACHMENT_HOUR: f64 = 0.05;
    pub const TRANSIT_GATEWAY_GB: f64 = 0.02;
    /// Data transfer between availability zones, each direction, per GB.
    pub const CROSS_AZ_GB: f64 = 0.01;
    /// Hours in a month, for monthly figures.
    pub const HOURS_PER_MONTH: f64 = 730.0;
}

/// Default quotas (adjustable through Service Quotas), reported by `quota-exceeded`.
pub mod quotas {
    pub const IPV4_CIDRS_PER_VPC: usize = 5;
    pub const NACL_RULES_PER_DIRECTION: usize = 20;
    pub const SG_RULES_PER_DIRECTION: usize = 60;
    pub const SECURITY_GROUPS_PER_INTERFACE: usize = 5;
    pub const ROUTES_PER_ROUTE_TABLE: usize = 50;
    pub const INTERFACE_ENDPOINTS_PER_VPC: usize = 50;
}

/// Ports that must not be open to the whole internet, with the service usually behind each:
/// remote administration, and data stores and control planes that were never meant to face
/// the internet (reported by `sg-open-to-world`; `nacl-allows-admin-from-world` reports the
/// administrative ones).
pub mod exposed_ports {
    /// Remote administration: brute-forced within minutes of being exposed.
    pub const ADMIN: &[(u16, &str)] = &[(22, "SSH"), (3389, "RDP")];
    /// Every port `sg-open-to-world` reports, administrative ones first.
    #[rustfmt::skip]
    pub const SENSITIVE: &[(u16, &str)] = &[
        (22, "SSH"), (3389, "RDP"), (23, "Telnet"), (3306, "MySQL"), (5432, "PostgreSQL"),
        (1433, "SQL Server"), (1521, "Oracle"), (6379, "Redis"), (11211, "Memcached"),
        (27017, "MongoDB"), (9200, "Elasticsearch"), (2375, "Docker API"), (2379, "etcd"),
    ];
}
