-- SelectFTP accounts in PostgreSQL, version 2: which node holds which reservation (see docs/SCALING.md).

-- usage.reserved_bytes is the sum of these rows. A node records its reservations under its own id (kept in its
-- data folder), so when it starts again after a crash it gives back, in one statement, whatever it held: its
-- uploads died with it. A reservation and its row change in one statement (a data-modifying WITH).
CREATE TABLE quota_holds (
  node  text   NOT NULL,
  name  text   NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (node, name)
);
