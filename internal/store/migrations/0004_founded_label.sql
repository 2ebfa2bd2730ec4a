-- What the founding date of a body stands for, when not simply "set up":
-- "the ZMP Board decides to set up the commission".
ALTER TABLE bodies ADD COLUMN founded_label_pl TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN founded_label_en TEXT NOT NULL DEFAULT '';
