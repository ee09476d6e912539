-- Portable between H2 and PostgreSQL: both run these files unchanged.

-- GHL locations the connector serves, recorded at install.
CREATE TABLE ghl_location (
    location_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    company_id   VARCHAR(64),
    status       VARCHAR(32)  NOT NULL,
    installed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- OAuth tokens of a location or a company (agency), encrypted with store.secret-key (AES-GCM).
-- status: active | needs-reinstall
CREATE TABLE oauth_token (
    owner_id      VARCHAR(64)   NOT NULL PRIMARY KEY,
    owner_type    VARCHAR(16)   NOT NULL,
    company_id    VARCHAR(64),
    access_token  VARCHAR(16000) NOT NULL,
    refresh_token VARCHAR(16000),
    scope         VARCHAR(4000),
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(32)   NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
