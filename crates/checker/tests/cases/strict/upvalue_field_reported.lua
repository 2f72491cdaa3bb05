-- mode: strict
-- A fixture field read in a closure: strict mode wants a check.
type Ctx = {db: sql.DB?}
local ctx: Ctx = {}
local function it(_name: string, f: () -> ()) f() end
it("uses the db", function()
    ctx.db:release() -- expect-error: E0021 cannot call a method of `ctx.db`: it may be nil
end)
