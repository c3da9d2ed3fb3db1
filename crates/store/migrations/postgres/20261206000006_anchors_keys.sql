-- The anchors context's catalogue keys are named after it (issue 13): the
-- match reasons stored with suppliers and their candidates follow.
UPDATE suppliers SET reason = 'anchors.' || reason WHERE reason LIKE 'supplier.reason.%';
UPDATE supplier_candidates SET reason = 'anchors.' || reason WHERE reason LIKE 'supplier.reason.%';
