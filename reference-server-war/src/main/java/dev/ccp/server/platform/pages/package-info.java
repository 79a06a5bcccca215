/** Server-rendered pages: the HTML templates, the page frame and CSRF protection for forms. */
package dev.ccp.server.platform.pages;
