-- SelectFTP accounts in PostgreSQL, version 1 (applied by Flyway at the first start; see docs/SCALING.md).

-- One row per account. name keeps the letter case it was registered with (logins are case-sensitive);
-- name_folded is the key under which two names collide (UserNames.foldCase: the names are ASCII, so lower()
-- agrees), and its unique index is what makes a name register exactly once across every node.
CREATE TABLE users (
  name        text        PRIMARY KEY,
  name_folded text        NOT NULL CHECK (name_folded = lower(name)),
  salt        bytea       NOT NULL,
  iterations  integer     NOT NULL CHECK (iterations > 0),
  stored_key  bytea       NOT NULL,
  server_key  bytea       NOT NULL,
  quota_bytes bigint      NOT NULL CHECK (quota_bytes >= 0),
  created     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_name_folded_key ON users (name_folded);

-- What each account holds and has promised to uploads in flight, for quotas across nodes: a reservation is
-- one UPDATE that checks used + reserved + wanted <= quota on the row it changes (see QuotaLedger).
CREATE TABLE usage (
  name           text   PRIMARY KEY REFERENCES users (name) ON DELETE CASCADE,
  used_bytes     bigint NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
  reserved_bytes bigint NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0)
);

-- The key every node derives the challenges for unknown names from, so that all nodes answer alike.
CREATE TABLE server_secret (
  id     smallint PRIMARY KEY CHECK (id = 1),
  secret bytea    NOT NULL CHECK (length(secret) = 32)
);

-- Every change of a user is announced on channel selectftp_users with the name as payload; the nodes LISTEN
-- and re-read that row into their in-memory mirror. The notification is sent at commit, never before.
CREATE FUNCTION selectftp_users_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('selectftp_users', COALESCE(NEW.name, OLD.name));
  RETURN NULL;
END
$$;
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION selectftp_users_changed();

-- A new account starts with an empty usage row, whoever inserted it (a node, user import, or psql).
CREATE FUNCTION selectftp_users_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage (name) VALUES (NEW.name);
  RETURN NULL;
END
$$;
CREATE TRIGGER users_usage AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION selectftp_users_usage();
