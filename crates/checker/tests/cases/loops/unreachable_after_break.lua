-- Statements after `error(…)` in a loop never run (a hint); after the loop the walk goes on.
local function f(xs: {integer}): integer
    for _, x in ipairs(xs) do
        if x < 0 then
            error("negative")
            print(x) -- expect-hint: E0009 unreachable code
        end
    end
    return 0
end
print(f({}))
