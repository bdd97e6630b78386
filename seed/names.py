"""Word lists that make the demo data read like a real support estate."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """The one-word names in `text`, in order: a long list without a quote around each name."""
    return tuple(text.split())


FIRST_NAMES = _words("""
    Aisha Alejandro Amelia Anders Ananya Beatriz Bogdan Camille Chen Chiara Daniel Dmitri Elena
    Emeka Fatima Felix Freya Gabriel Grace Hannah Haruto Ines Isaac Jamal Javier Jin Julia Kai Karin
    Kwame Laila Leon Lucia Malik Marta Mateo Mei Mohammed Nadia Niamh Noah Olga Omar Priya Rafael
    Rania Ravi Rosa Samuel Sanjay Sara Sofia Soren Tariq Thomas Uma Victor Wei Yara Yusuf Zoe Zsofia
""")

LAST_NAMES = _words("""
    Abara Andersen Bauer Becker Bianchi Brennan Castillo Chowdhury Costa Dubois Eriksen Fischer
    Fontaine Garcia Gupta Haddad Hansen Herrera Ito Jansen Kaur Keller Kim Kowalski Larsen Lindqvist
    Lopez Mensah Moreau Murphy Nakamura Novak Okafor Olsen Park Patel Petrov Quinn Rahman Rossi
    Santos Schmidt Silva Singh Sorensen Tanaka Torres Varga Wagner Walsh Wang Weber Yilmaz Zhang
""")

ENGINEERS = (
    "A. Lindgren",
    "B. Osei",
    "C. Moreno",
    "D. Hartmann",
    "E. Nowak",
    "F. Tanaka",
    "G. Reyes",
    "H. Kapoor",
    "I. Duarte",
    "J. Whitaker",
    "K. Nilsen",
    "L. Ferrari",
    "M. Adeyemi",
    "N. Sato",
    "O. Brandt",
    "P. Oliveira",
    "R. Mahmoud",
    "S. Kowalczyk",
    "T. Byrne",
    "V. Ivanova",
)

TECHNOLOGIES = (
    "Azure Virtual Machines",
    "Azure Kubernetes Service",
    "Azure SQL Database",
    "SQL Server",
    "Exchange Online",
    "SharePoint Online",
    "Microsoft Teams",
    "Entra ID",
    "Active Directory",
    "Windows Server",
    "Intune",
    "Defender for Endpoint",
    "Azure Networking",
    "Azure Storage",
    "Power BI",
    "Dynamics 365",
    "Azure DevOps",
    "Azure Functions",
    "Microsoft Sentinel",
    "Azure Backup",
)

SYMPTOMS = (
    "service unavailable after update",
    "intermittent timeouts",
    "high CPU on production nodes",
    "users cannot sign in",
    "slow response times",
    "sync delays between sites",
    "scheduled jobs failing",
    "certificate renewal failed",
    "unexpected restarts",
    "licence assignment errors",
    "sync errors after migration",
    "deployment pipeline fails",
    "data missing from reports",
    "access denied for service account",
    "memory leak suspected",
    "connection pool exhausted",
    "alerts not firing",
    "notifications delayed",
    "throttling errors",
    "storage capacity warnings",
)

ADVISORY_TOPICS = (
    "architecture review",
    "migration planning",
    "disaster recovery design",
    "capacity planning",
    "security baseline guidance",
    "cost optimisation advice",
    "upgrade path guidance",
    "identity design review",
    "monitoring strategy",
    "high availability design",
)

PROACTIVE_SERVICES = (
    "Health check",
    "Security workshop",
    "Performance tuning session",
    "Risk assessment review",
    "Operational readiness workshop",
    "Knowledge transfer session",
    "Upgrade planning workshop",
    "Incident response drill",
    "Monitoring onboarding",
    "Governance workshop",
)

CREDIT_SERVICES = (
    "Credit redemption: architecture review",
    "Credit redemption: custom workshop",
    "Credit redemption: proof of concept support",
    "Credit redemption: code review",
    "Credit redemption: migration assistance",
    "Credit redemption: training day",
)

SERVICE_REVIEWS = (
    "Quarterly service review",
    "Account planning meeting",
    "Monthly service report walkthrough",
    "Escalation review",
    "Roadmap briefing",
)

COURSES = (
    "Azure Fundamentals",
    "Azure Administrator",
    "Securing Cloud Workloads",
    "Kubernetes Essentials",
    "SQL Server Performance Tuning",
    "PowerShell for Administrators",
    "Identity and Access Basics",
    "Incident Management Essentials",
    "Power BI Data Modelling",
    "DevOps Pipelines in Practice",
    "Zero Trust Foundations",
    "Cost Management for Cloud Teams",
)

ASSESSMENTS = (
    "Security assessment",
    "Health assessment",
    "Resilience assessment",
    "Governance assessment",
    "Performance assessment",
    "Cost optimisation assessment",
)

ASSESSMENT_TECHNOLOGIES = (
    "Azure",
    "SQL Server",
    "Active Directory",
    "Exchange Online",
    "Windows Server",
    "Entra ID",
    "Microsoft 365",
    "Azure Kubernetes Service",
)

# Made-up customers (`--customers N` beyond the four of seed/estate.py) are named a brand and a
# line of business, e.g. "Tailspin Aviation"; none of the four's brands is among them.
COMPANY_BRANDS = (
    "Adatum",
    "Alpine",
    "Baldwin",
    "Bellows",
    "Blue Yonder",
    "Coho",
    "Consolidated",
    "Greenleaf",
    "Harbourview",
    "Humongous",
    "Ironbridge",
    "Kestrel",
    "Lakeshore",
    "Lamna",
    "Litware",
    "Lucerne",
    "Meridian",
    "Munson",
    "Proseware",
    "Redwood",
    "Relecloud",
    "Silverline",
    "Southridge",
    "Tailspin",
    "Trey",
    "VanArsdel",
    "Wide World",
    "Wingtip",
)

BUSINESSES = _words("""
    Aviation Bank Energy Foods Health Insurance Logistics Media Mining Pharma Publishing Retail
    Software Telecom Travel Utilities
""")

# Workspaces of made-up customers, by name; a customer has two to six of them.
WORKSPACE_NAMES = (
    "Corporate IT",
    "Operations",
    "Finance Systems",
    "Data Platform",
    "Customer Portal",
    "HR Systems",
    "Field Services",
    "Research",
    "Security Operations",
    "Sales",
    "Supply Chain",
    "Sandbox",
)

GROUP_NAMES = (
    "Service desk",
    "Platform team",
    "Application support",
    "Infrastructure",
    "Digital team",
)
