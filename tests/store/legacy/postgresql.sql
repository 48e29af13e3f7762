-- The store's schema as xner created it before its migrations were versioned
-- (xner.store.schema at commit fc089ef, Base.metadata.create_all on postgresql), without an alembic_version table.

CREATE TABLE datasets (
	id SERIAL NOT NULL,
	name VARCHAR(200) NOT NULL,
	src_lang VARCHAR(20) NOT NULL,
	tgt_lang VARCHAR(20) NOT NULL,
	status VARCHAR(20) NOT NULL,
	labels JSON,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);

CREATE TABLE jobs (
	id SERIAL NOT NULL,
	name VARCHAR(200) NOT NULL,
	status VARCHAR(20) NOT NULL,
	done INTEGER NOT NULL,
	total INTEGER NOT NULL,
	message VARCHAR(2000) NOT NULL,
	dataset_id INTEGER,
	settings JSON,
	owner VARCHAR(200) NOT NULL,
	heartbeat TIMESTAMP WITH TIME ZONE,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE user_settings (
	annotator VARCHAR(100) NOT NULL,
	settings JSON NOT NULL,
	PRIMARY KEY (annotator)
);

CREATE TABLE items (
	id SERIAL NOT NULL,
	dataset_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	score FLOAT,
	record JSON NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (dataset_id, position),
	FOREIGN KEY(dataset_id) REFERENCES datasets (id) ON DELETE CASCADE
);

CREATE INDEX ix_items_dataset_id ON items (dataset_id);

CREATE TABLE adjudications (
	item_id INTEGER NOT NULL,
	curator VARCHAR(100) NOT NULL,
	status VARCHAR(20) NOT NULL,
	entities JSON NOT NULL,
	taken_from VARCHAR(100) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (item_id),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE
);

CREATE TABLE comments (
	id SERIAL NOT NULL,
	item_id INTEGER NOT NULL,
	annotator VARCHAR(100) NOT NULL,
	flag VARCHAR(40) NOT NULL,
	text VARCHAR(4000) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE
);

CREATE INDEX ix_comments_item_id ON comments (item_id);

CREATE TABLE decisions (
	id SERIAL NOT NULL,
	item_id INTEGER NOT NULL,
	annotator VARCHAR(100) NOT NULL,
	action VARCHAR(20) NOT NULL,
	entities JSON NOT NULL,
	undoes INTEGER,
	batch VARCHAR(40),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE
);

CREATE INDEX ix_decisions_batch ON decisions (batch);

CREATE INDEX ix_decisions_item_id ON decisions (item_id);

CREATE TABLE drafts (
	item_id INTEGER NOT NULL,
	annotator VARCHAR(100) NOT NULL,
	revision INTEGER NOT NULL,
	entities JSON NOT NULL,
	edits INTEGER NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (item_id, annotator),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE
);

CREATE TABLE item_text (
	item_id INTEGER NOT NULL,
	dataset_id INTEGER NOT NULL,
	source VARCHAR NOT NULL,
	target VARCHAR NOT NULL,
	labels VARCHAR(400) NOT NULL,
	unprojected INTEGER NOT NULL,
	PRIMARY KEY (item_id),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE
);

CREATE INDEX ix_item_text_dataset_id ON item_text (dataset_id);

CREATE TABLE item_states (
	item_id INTEGER NOT NULL,
	annotator VARCHAR(100) NOT NULL,
	status VARCHAR(20) NOT NULL,
	entities JSON NOT NULL,
	decision_id INTEGER NOT NULL,
	PRIMARY KEY (item_id, annotator),
	FOREIGN KEY(item_id) REFERENCES items (id) ON DELETE CASCADE,
	FOREIGN KEY(decision_id) REFERENCES decisions (id)
);
