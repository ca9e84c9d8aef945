-- The organization a mutation touched (set by the endpoint that knows it), so that an
-- organization's admins see everything done to it, by whomever; and when a token was last used.
ALTER TABLE audit_record ADD COLUMN target_organization text;
CREATE INDEX audit_record_target_organization ON audit_record (target_organization, id);
CREATE INDEX audit_record_organization ON audit_record (organization, id);
ALTER TABLE api_token ADD COLUMN last_used_at timestamptz;
