-- `readonly {…}` written inline works the same way.
local function freeze_me(c: readonly {name: string})
    c.name = "x" -- expect-error: E0008
end
freeze_me({ name = "a" })
