-- Which hours of its 6-hour bucket each seat sent usage in: bit h for hour h of the bucket (the
-- bucket starting 06:00 has 09:00 as hour 3). The 7-day view hides a bucket whose figure, less the
-- hours the 24-hour view shows, would give away an hour hidden there for too few seats.
alter table usage_bucket_sums add column hours integer default 0 not null;

update usage_bucket_sums s set hours = (
    select coalesce(sum(case mod(extract(hour from r.hour_start), 6)
                            when 0 then 1 when 1 then 2 when 2 then 4 when 3 then 8 when 4 then 16 else 32 end), 0)
    from usage_rollups r
    where r.org_id = s.org_id and r.seat = s.seat and r.model = s.model
      and r.hour_start >= s.bucket_start and r.hour_start < s.bucket_start + interval '6' hour);
