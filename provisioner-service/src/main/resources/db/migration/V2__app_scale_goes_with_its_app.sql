-- app_scale rows belong to their app: removed with it, so a new app of the same name starts with no
-- scale history of the old one. Deployments stay (the history GET /deployments lists across apps) and
-- so does app_ordinal (an instance id is never used twice), as V1 says.
DELETE FROM app_scale WHERE app NOT IN (SELECT name FROM app);
ALTER TABLE app_scale ADD CONSTRAINT app_scale_app_fkey FOREIGN KEY (app) REFERENCES app (name) ON DELETE CASCADE;
