-- `while true do … end` without `break` never falls through: no missing return.
local function wait(poll: () -> boolean): string
    while true do
        if poll() then
            return "done"
        end
    end
end
print(wait(function() return true end))
