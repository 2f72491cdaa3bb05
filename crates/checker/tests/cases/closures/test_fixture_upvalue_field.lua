-- A test fixture's optional field set in `before_each` and used in `it`: the closure may
-- run after it was set (reported in strict mode only).
type Ctx = {db: sql.DB?}
local ctx: Ctx = {}
local function before_each(f: () -> ()) f() end
local function it(_name: string, f: () -> ()) f() end
before_each(function()
    ctx.db = sql.get("app:db")
end)
it("uses the db", function()
    ctx.db:release()
end)
