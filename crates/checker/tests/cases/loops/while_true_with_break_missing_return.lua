-- With a `break`, the end of the function is reachable.
local function wait(poll: () -> boolean): string -- expect-error: E0010 missing return
    while true do
        if poll() then
            break
        end
    end
end
print(wait(function() return true end))
