-- The same without the fleet batch.
-- Activity rows as the importers would load them (batch, line, org, key,
-- period as days since 1970-01-01, quantity in micro-units, unit, quality, tariff).
BEGIN;
INSERT INTO activity_key(key) VALUES('energy.electricity');
INSERT INTO activity_key(key) VALUES('energy.natural_gas');
INSERT INTO activity_key(key) VALUES('fleet.diesel');
INSERT INTO activity_key(key) VALUES('procurement.cpv.09310000');
INSERT INTO activity_key(key) VALUES('procurement.cpv.30192000');
INSERT INTO batch(id,kind,file,sha256,rows_total,rows_loaded,imported_at) VALUES(1,'energy','energie.csv','eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',7,7,'2026-01-01T00:00:00Z');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(1,1,2,(SELECT id FROM org_unit WHERE code='NORD-GS1'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19723,20088,100000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(2,1,3,(SELECT id FROM org_unit WHERE code='NORD-GS1'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19358,19722,110000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(3,1,4,(SELECT id FROM org_unit WHERE code='SUED-RH'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19905,20088,36500000000,'kWh',0,'green');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(4,1,5,(SELECT id FROM org_unit WHERE code='SUED'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19723,20088,50000000000,'kWh_Hs',1,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(5,1,6,(SELECT id FROM org_unit WHERE code='SENFIN'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19692,19782,30000000000,'kWh_Hs',2,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(6,1,7,(SELECT id FROM org_unit WHERE code='ST'),(SELECT id FROM activity_key WHERE key='energy.electricity'),19723,20088,1000000000,'kWh',0,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(7,1,8,(SELECT id FROM org_unit WHERE code='SUED-RH'),(SELECT id FROM activity_key WHERE key='energy.natural_gas'),19358,19722,40000000000,'kWh_Hs',0,NULL);
INSERT INTO batch(id,kind,file,sha256,rows_total,rows_loaded,imported_at) VALUES(2,'procurement','beschaffung.csv','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',2,2,'2026-01-01T00:00:00Z');
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(8,2,2,(SELECT id FROM org_unit WHERE code='SUED'),(SELECT id FROM activity_key WHERE key='procurement.cpv.30192000'),19853,19853,10000000000,'EUR',2,NULL);
INSERT INTO activity(id,batch_id,line,org_id,key_id,day_start,day_end,quantity,unit,quality,tariff) VALUES(9,2,3,(SELECT id FROM org_unit WHERE code='NORD'),(SELECT id FROM activity_key WHERE key='procurement.cpv.09310000'),19875,19875,5000000000,'EUR',2,NULL);
COMMIT;
