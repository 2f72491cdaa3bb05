-- Targets past the values of a call of unknown arity are any, not nil.
local function run(db: any)
    local _, err = db:execute("x")
    if err then
        error("failed: " .. err)
    end
end
print(run)
