-- The same batches loaded in another order, with other ids (an auditor's ledger).
-- Activity rows as the importers would load them (batch, line, org, key,
-- period as days since 1970-01-01, quantity in micro-units, unit, quality, tariff).
BEGIN;
INSERT INTO activity_key(key) VALUES('energy.electricity');
INSERT INTO activity_key(key) VALUES('energy.natural_gas');
INSERT INTO activity_key(key) VALUES('fleet.diesel');
INSERT INTO activity_key(key) VALUES('procurement.cpv.09310000');
INSERT INTO activity_key(key) VALUES('procurement.cpv.30192000');
INSERT INTO batch(id,kind,file,sha256,rows_total,rows_loaded,imported_at) VALUES(11,'procurement','beschaffung.csv','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',2,2,'2026-01-01T00:00:00Z');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(101,11,2,(SELECT id FROM org_unit WHERE code='SUED'),(SELECT id FROM activity_key WHERE key='procurement.cpv.30192000'),19853,19853,10000000000,'EUR',2,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(102,11,3,(SELECT id FROM org_unit WHERE code='NORD'),(SELECT id FROM activity_key WHERE key='procurement.cpv.09310000'),19875,19875,5000000000,'EUR',2,NULL);
INSERT INTO batch(id,kind,file,sha256,rows_total,rows_loaded,imported_at) VALUES(12,'energy','energie.csv','eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',7,7,'2026-01-01T00:00:00Z');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(103,12,2,(SELECT id FROM org_unit WHERE code='NORD-GS1'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19723,20088,100000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(104,12,3,(SELECT id FROM org_unit WHERE code='NORD-GS1'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19358,19722,110000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(105,12,4,(SELECT id FROM org_unit WHERE code='SUED-RH'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19905,20088,36500000000,'kWh',0,'green');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(106,12,5,(SELECT id FROM org_unit WHERE code='SUED'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19723,20088,50000000000,'kWh_Hs',1,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(107,12,6,(SELECT id FROM org_unit WHERE code='SENFIN'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19692,19782,30000000000,'kWh_Hs',2,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(108,12,7,(SELECT id FROM org_unit WHERE code='ST'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19723,20088,1000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(109,12,8,(SELECT id FROM org_unit WHERE code='SUED-RH'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19358,19722,40000000000,'kWh_Hs',0,NULL);
INSERT INTO batch(id,kind,file,sha256,rows_total,rows_loaded,imported_at) VALUES(13,'fleet','tankkarten.csv','ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',3,3,'2026-01-01T00:00:00Z');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(110,13,2,(SELECT id FROM org_unit WHERE code='NORD'),(SELECT id FROM activity_key WHERE key='fleet.diesel'),19787,19787,500000000,'l',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(111,13,3,(SELECT id FROM org_unit WHERE code='SENFIN'),(SELECT id FROM activity_key WHERE key='fleet.diesel'),19814,19814,200000000,'l',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(112,13,4,(SELECT id FROM org_unit WHERE code='NORD'),(SELECT id FROM activity_key WHERE key='fleet.diesel'),19479,19479,450000000,'l',0,NULL);
COMMIT;
