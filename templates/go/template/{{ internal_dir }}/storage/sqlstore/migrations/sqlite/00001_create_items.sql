-- +goose Up
-- Time stamps are UTC text of one fixed width (2006-01-02T15:04:05.000000Z), so that
-- they sort as they read.
CREATE TABLE items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CONSTRAINT items_name_key UNIQUE (name)
);

-- +goose Down
DROP TABLE items;
