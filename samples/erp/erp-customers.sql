-- The demo ERP database (routes/sources/erp.camel.yaml): an H2 database under data/demo/erp that
-- this script creates and fills on the first connection. Customers are rows of erp_customer,
-- changed_at is set by the ERP on every change, deleted customers keep their row with deleted = TRUE.
CREATE TABLE IF NOT EXISTS erp_customer (
    kunnr       VARCHAR(10)  NOT NULL PRIMARY KEY,
    name1       VARCHAR(80)  NOT NULL,
    mobile      VARCHAR(30),
    email       VARCHAR(80),
    city        VARCHAR(40),
    street      VARCHAR(80),
    postal_code VARCHAR(10),
    birth_date  DATE,
    deleted     BOOLEAN      DEFAULT FALSE NOT NULL,
    changed_at  TIMESTAMP(6) NOT NULL
);

INSERT INTO erp_customer (kunnr, name1, mobile, email, city, street, postal_code, birth_date, deleted, changed_at)
SELECT * FROM (VALUES
    ('0000100001', '张伟', '13800138000', 'zhang.wei@example.com', '广州', '天河路385号', '510620', DATE '1985-03-12', FALSE, TIMESTAMP '2026-11-26 08:00:00'),
    ('0000100002', '王芳', '139 1234 5678', 'wangfang@example.cn', '杭州', '文三路90号', '310012', DATE '1990-07-08', FALSE, TIMESTAMP '2026-11-26 08:00:00'),
    ('0000100003', '孙丽', '13911112222', 'sun.li@example.com', '南京', '中山路2号', '210008', DATE '1987-04-02', FALSE, TIMESTAMP '2026-11-26 08:00:00'),
    ('0000100004', '周杰', '13722223333', 'zhou.jie@example.com', '成都', '人民南路4段1号', '610041', DATE '1979-01-18', FALSE, TIMESTAMP '2026-11-26 09:30:00'),
    ('0000100005', '吴磊', '13633334444', NULL, '深圳', '深南大道6008号', '518000', DATE '1992-12-01', FALSE, TIMESTAMP '2026-11-26 09:30:00')
) AS seed (kunnr, name1, mobile, email, city, street, postal_code, birth_date, deleted, changed_at)
WHERE NOT EXISTS (SELECT 1 FROM erp_customer);
