-- Facts about this installation, e.g. when its schema was first created.
CREATE TABLE maestro_meta (
  meta_key   VARCHAR(100) PRIMARY KEY,
  meta_value VARCHAR(4000) NOT NULL
);
INSERT INTO maestro_meta (meta_key, meta_value) VALUES ('schema.created_by', 'maestro');
