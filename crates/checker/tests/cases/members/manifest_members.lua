-- Module members, nested tables, constants and methods of returned objects.
local ok = crypto.random.bytes(16)
local nope = crypto.random.byts(16) -- expect-error: E0004
print(http.STATUS.NOT_FOUND, http.STATUS.NOT_FUND) -- expect-error: E0004
local db, err = sql.get("app:db")
if err then
    error(err)
end
local rows = db:query("SELECT 1")
local tx = db:begin()
tx:commit()
tx:comit() -- expect-error: E0022
local stmt = db:prepare("SELECT ?")
stmt:query(1)
local count = #rows
logger:info("done", { count = count, ok = ok, nope = nope })
logger.info("dot call") -- expect-error: E0000
local l2 = logger:with({ a = 1 }):named("x")
l2:warn("chained")
-- Presence tests are probes, not mistakes; a block guarded by one may use the member.
if tx.savepoint_all then
    tx:savepoint_all()
end
if type(stmt.reader) == "function" then
    stmt:reader()
end
local has = logger.tag ~= nil or not logger.level
print(has)
stmt:reader() -- expect-error: E0022
